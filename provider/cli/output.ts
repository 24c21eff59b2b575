/**
 * Writing large output: pieces are gathered into chunks of about 64 KiB and written one by one, waiting for the
 * stream to drain when it asks (backpressure), so memory stays bounded however many images there are.
 */
export type Sink = (text: string) => void | boolean | Promise<void>;

const CHUNK_SIZE = 64 * 1024;

/** Whether writing failed because the reader went away (`cloudimages images | head -1`): not an error, just the end. */
export function isClosedPipe(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** A sink for a Node stream that resolves only once the stream can take more, and rejects once writing has failed
 * (the stream's error is kept, so it is reported to the writer rather than thrown from an event). */
export function streamSink(stream: NodeJS.WritableStream): Sink {
  let broken: Error | undefined;
  stream.on('error', (err: Error) => (broken ??= err));
  return (text) => {
    if (broken) return Promise.reject(broken);
    if (stream.write(text)) return;
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        stream.off('drain', done);
        stream.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      stream.once('drain', done);
      stream.once('error', done);
    });
  };
}

/** Writes every piece to the sink in chunks, awaiting the sink whenever it returns a promise. */
export async function writePieces(sink: Sink, pieces: Iterable<string>): Promise<void> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= CHUNK_SIZE) {
      const pending = sink(chunk);
      chunk = '';
      if (pending instanceof Promise) await pending;
    }
  }
  if (chunk) {
    const pending = sink(chunk);
    if (pending instanceof Promise) await pending;
  }
}

/** Lines with a newline after each. */
export function* withNewlines(lines: Iterable<string>): Generator<string> {
  for (const line of lines) {
    yield line;
    yield '\n';
  }
}

/** The pieces of each iterable in turn. */
export function* concat(...parts: Iterable<string>[]): Generator<string> {
  for (const part of parts) yield* part;
}
