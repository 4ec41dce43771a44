// A request's answer already written as JSON (UTF-8 bytes), for answers of megabytes: the connection's writer
// (connection.ts) puts the bytes into the response as they are, instead of stringifying objects.

const decoder = new TextDecoder();

export class RawJson {
  /**
   * `frame`: the bytes are a view into a buffer that is the answer's alone, with at least that many unused bytes
   * before them and one after, where the writer may put the rest of the response (`{"jsonrpc":…,"result":` and `}`)
   * instead of copying megabytes into a new buffer.
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly frame = 0,
  ) {}

  /** Whatever else serialises the response (another transport, a trace) gets the same value. */
  toJSON(): unknown {
    return JSON.parse(decoder.decode(this.bytes));
  }
}
