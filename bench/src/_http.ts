import { connect, type Socket } from "node:net"

// A minimal HTTP/1.1 keep-alive client for the relay bench: one request at a time per connection,
// headers written once, the body as given, the answer parsed by Content-Length. Much cheaper per
// request than fetch, so on a 2-core machine the servers, not the client, set the pace; relay and
// baseline get the very same client.

/** One answer: status and body. */
export interface Answer {
  readonly status: number
  readonly body: Buffer
}

/** A keep-alive connection to `host:port`, reopened when the server closed it while idle. */
export class BenchConnection {
  #socket: Socket
  #closed = false
  #buffer: Buffer = Buffer.alloc(0)
  #waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined

  private constructor(
    socket: Socket,
    private readonly url: URL,
  ) {
    this.#socket = this.#adopt(socket)
  }

  /** Opens a connection to an `http://host:port` base URL. */
  static async open(baseUrl: string): Promise<BenchConnection> {
    const url = new URL(baseUrl)
    return new BenchConnection(await dial(url), url)
  }

  /** Sends one request and waits for its answer. */
  async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<Answer> {
    if (this.#waiting) throw new Error("one request at a time per connection")
    // uWS closes keep-alive connections idle for about 10 s.
    if (this.#closed) {
      this.#buffer = Buffer.alloc(0)
      this.#socket = this.#adopt(await dial(this.url))
      this.#closed = false
    }
    const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1"]
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`)
    lines.push(`Content-Length: ${body?.byteLength ?? 0}`, "", "")
    const answer = new Promise<Answer>((resolve, reject) => {
      this.#waiting = { resolve, reject }
    })
    this.#socket.cork()
    this.#socket.write(lines.join("\r\n"))
    if (body && body.byteLength > 0) this.#socket.write(body)
    this.#socket.uncork()
    return answer
  }

  close(): void {
    this.#waiting = undefined
    this.#closed = true
    this.#socket.destroy()
  }

  #adopt(socket: Socket): Socket {
    socket.setNoDelay(true)
    socket.on("data", (d: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? d : Buffer.concat([this.#buffer, d])
      this.#parse()
    })
    socket.on("error", (e) => this.#fail(e))
    socket.on("close", () => {
      this.#closed = true
      this.#fail(new Error("connection closed"))
    })
    return socket
  }

  #parse(): void {
    const end = this.#buffer.indexOf("\r\n\r\n")
    if (end < 0 || !this.#waiting) return
    const head = this.#buffer.subarray(0, end).toString("latin1")
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
    if (this.#buffer.length < end + 4 + length) return
    const body = this.#buffer.subarray(end + 4, end + 4 + length)
    this.#buffer = this.#buffer.subarray(end + 4 + length)
    const waiting = this.#waiting
    this.#waiting = undefined
    waiting.resolve({ status, body: Buffer.from(body) })
  }

  #fail(e: Error): void {
    const waiting = this.#waiting
    this.#waiting = undefined
    waiting?.reject(e)
  }
}

function dial(url: URL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => resolve(socket))
    socket.once("error", reject)
  })
}
