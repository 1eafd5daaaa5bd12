import { expect } from 'chai';
import { TAG_VENDORS } from '../../src/vendors.mjs';
import { STAND_IN_ORIGIN } from '../helpers/stand-ins.js';

// Each widget started by the script tag alone (data- attributes, no other code) on a page whose
// CSP allows scripts only by nonce and requires Trusted Types. The pages come from another origin
// (demo/stand-ins/script-tag-pages.mjs), so results arrive by postMessage.
const ORIGIN = STAND_IN_ORIGIN;

interface Report {
  ready?: boolean;
  failed?: string;
  violations: string[];
  errors: string[];
  standIns: Record<string, { tokens: { token: string; how: string }[] }>;
}

async function openPage(
  path: string,
): Promise<{ frame: HTMLIFrameElement; report(): Promise<Report> }> {
  const frame = document.createElement('iframe');
  frame.src = `${ORIGIN}${path}`;
  await new Promise((resolve) => {
    frame.onload = resolve;
    document.body.append(frame);
  });
  const report = () =>
    new Promise<Report>((resolve) => {
      const onMessage = (event: MessageEvent) => {
        if (event.origin !== ORIGIN) return;
        removeEventListener('message', onMessage);
        resolve(event.data as Report);
      };
      addEventListener('message', onMessage);
      frame.contentWindow!.postMessage('report', ORIGIN);
    });
  return { frame, report };
}

/** Asks the page until `done` holds (by default: ready or failed); the page works in real time. */
async function settled(
  report: () => Promise<Report>,
  done = (state: Report) => state.ready === true || state.failed !== undefined,
): Promise<Report> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const current = await report();
    if (done(current)) return current;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error('the page never became ready nor failed');
}

describe('the script tag alone, under a strict CSP with Trusted Types', () => {
  const frames: HTMLIFrameElement[] = [];
  afterEach(() => frames.splice(0).forEach((frame) => frame.remove()));

  // How each stand-in receives its first token; one entry per tag vendor (checked below).
  const FIRST_TOKEN_BY = [
    ['dg-chat', 'dg-chat', 'config'],
    ['via-socket', 'via-socket', 'mount'],
    ['iadvize', 'iadvize', 'provider'],
    ['engagespot', 'engagespot', 'render'],
    ['video-sdk', 'video-sdk', 'config'],
    ['intercom', 'intercom', 'boot'],
    ['zendesk', 'zendesk', 'loginUser'],
  ] as const;
  it('covers every widget with a tag build (the vendor table)', () => {
    expect(FIRST_TOKEN_BY.map(([widget]) => widget)).to.have.members(
      TAG_VENDORS.map(({ id }) => id),
    );
  });

  for (const [widget, standIn, firstBy] of FIRST_TOKEN_BY) {
    it(`starts ${widget} from data- attributes with no CSP violation`, async () => {
      const { frame, report } = await openPage(`/pages/${widget}.html`);
      frames.push(frame);
      const result = await settled(report);
      expect(result.failed, result.failed).to.equal(undefined);
      expect(result.ready).to.equal(true);
      expect(result.violations).to.deep.equal([]);
      expect(result.errors).to.deep.equal([]);
      const received = result.standIns[standIn]!.tokens;
      expect(received).to.have.length(1);
      expect(received[0]!.how).to.equal(firstBy);
      expect(received[0]!.token).to.match(/^[\w-]+(\.[\w-]+){2,4}$/);
    });
  }

  it('reports a misconfigured tag on the console and as a widget-token:error event', async () => {
    const { frame, report } = await openPage('/pages/dg-chat.html?omit=widget-id');
    frames.push(frame);
    const result = await settled(report);
    expect(result.failed).to.equal('no widget');
    expect(result.errors).to.deep.equal([
      '[widget-token] <script data-widget="dg-chat"> needs a data-widget-id attribute.',
    ]);
  });

  it('reports a blocked load with the library prefix when the CSP does not allow its policy', async () => {
    // Control: the same page, but Trusted Types only allows another policy name.
    const { frame, report } = await openPage('/pages/dg-chat.html?policy=someone-else');
    frames.push(frame);
    // Violation events are queued tasks: wait for them as well as for the failure.
    const result = await settled(report, (state) => !!state.failed && state.violations.length > 0);
    expect(result.ready).to.equal(undefined);
    expect(result.failed).to.match(/allow the policy "widget-token"/);
    expect(result.violations, JSON.stringify(result)).to.include('require-trusted-types-for');
    expect(result.errors.some((message) => message.startsWith('[widget-token] '))).to.equal(true);
  });
});
