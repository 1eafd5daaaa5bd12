// A token endpoint in the page: replaces fetch so that every request is recorded and answered
// under the test's fake clock. Delays use setTimeout, so sinon controls them too.

export interface Reply {
  status?: number;
  /** JSON body (sent as application/json). */
  json?: unknown;
  /** Raw body, with `contentType`. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Answer after this many ms of (fake) time. */
  delay?: number;
  /** Never answer; only an abort ends the request. */
  hang?: boolean;
  /** Headers arrive, the body never ends. */
  endlessBody?: boolean;
  /** Fail like a dropped connection. */
  networkError?: boolean;
  /** The final URL, as after a redirect. */
  redirectedTo?: string;
}

export interface FakeBackend {
  readonly requests: Request[];
  /** Date.now() when each request arrived. */
  readonly times: number[];
  readonly aborted: number;
  restore(): void;
}

/**
 * A body as a stream made in JS: reading it takes microtasks only, in every engine. A Response built
 * from a string is read by the browser's own machinery, which Firefox finishes only after one or
 * two real event-loop turns, while the test's fake clock may already have moved past a deadline.
 */
function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

function abortable(signal: AbortSignal, run: (settle: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    run(resolve);
  });
}

export function fakeBackend(answer: (request: Request, count: number) => Reply): FakeBackend {
  const original = globalThis.fetch;
  const requests: Request[] = [];
  const times: number[] = [];
  let aborted = 0;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    times.push(Date.now());
    request.signal.addEventListener('abort', () => aborted++, { once: true });
    const reply = answer(request, requests.length);
    if (reply.hang) await abortable(request.signal, () => {});
    if (reply.delay) await abortable(request.signal, (done) => setTimeout(done, reply.delay));
    if (reply.networkError) throw new TypeError('Failed to fetch');
    const headers = new Headers(reply.headers);
    let body: BodyInit | null = null;
    if (reply.json !== undefined) {
      body = streamOf(JSON.stringify(reply.json));
      headers.set('content-type', 'application/json');
    } else if (reply.text !== undefined) {
      body = streamOf(reply.text);
      if (reply.contentType) headers.set('content-type', reply.contentType);
    }
    if (reply.endlessBody) {
      body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"token":'));
          request.signal.addEventListener('abort', () => controller.error(request.signal.reason));
        },
      });
      headers.set('content-type', 'application/json');
    }
    const response = new Response(body, { status: reply.status ?? 200, headers });
    if (reply.redirectedTo) Object.defineProperty(response, 'url', { value: reply.redirectedTo });
    return response;
  };
  return {
    requests,
    times,
    get aborted() {
      return aborted;
    },
    restore() {
      globalThis.fetch = original;
    },
  };
}
