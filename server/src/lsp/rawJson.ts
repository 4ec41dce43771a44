// A request's answer already written as JSON (UTF-8 bytes), for answers of megabytes: the connection's writer
// (connection.ts) puts the bytes into the response as they are, instead of stringifying objects.

const decoder = new TextDecoder();

export class RawJson {
  constructor(readonly bytes: Uint8Array) {}

  /** Whatever else serialises the response (another transport, a trace) gets the same value. */
  toJSON(): unknown {
    return JSON.parse(decoder.decode(this.bytes));
  }
}
