// A request's answer already written as JSON (UTF-8 bytes), for answers of megabytes: the connection's writer
// (connection.ts) puts the bytes into the response as they are, instead of stringifying objects.

const decoder = new TextDecoder();

export class RawJson {
  /**
   * `frame`: the bytes are a view into a buffer with at least that many bytes before them and one after that belong to
   * no answer, where the writer may put the rest of the response (`{"jsonrpc":…,"result":` and `}`) instead of copying
   * megabytes into a new buffer. The same RawJson may be the result of several responses (references.ts sends a kept
   * answer again as it is), so a writer that frames in place must have written one response before it frames the
   * next: vscode-jsonrpc's stream writer does (one message at a time, the next encoded once the last one's write has
   * completed). The bytes themselves are never written to.
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
