import { expect } from 'chai';
import * as core from '../../src/core.js';
import type * as esm from '../../src/index.js';
import { STAND_INS } from '../helpers/stand-ins.js';

interface FrameResult {
  api: string[];
  started: { tokens: boolean; widget: boolean };
  errors: string[];
}

/** Loads a script-tag file in a fresh frame with these data- attributes; what it exposed. */
async function loadTag(file: string, attributes: Record<string, string>): Promise<FrameResult> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  try {
    const page = frame.contentWindow as Window & { WidgetToken?: Record<string, unknown> };
    const errors: string[] = [];
    page.document.addEventListener('widget-token:error', (event) =>
      errors.push(((event as CustomEvent).detail.error as Error).message),
    );
    await new Promise<void>((resolve, reject) => {
      const script = page.document.createElement('script');
      for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
      script.src = `/dist/${file}`;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`dist/${file} missing: run npm run build`));
      page.document.head.append(script);
    });
    const global = page.WidgetToken!;
    const result = {
      api: Object.keys(global).sort(),
      started: { tokens: global.tokens !== undefined, widget: global.widget !== undefined },
      errors,
    };
    await (global.widget as esm.WidgetHandle | undefined)?.destroy();
    (global.tokens as esm.TokenSource | undefined)?.stop();
    return result;
  } finally {
    frame.remove();
  }
}

const dgTag = {
  'data-widget': 'dg-chat',
  'data-widget-id': 'w-1',
  'data-env': 'eu',
  'data-script-url': `${STAND_INS}/dg-chat.js`,
  'data-hints': 'false',
};

describe('the per-widget script-tag files', () => {
  // The adapter each per-widget file adds to the core API.
  const FILES: Record<string, string> = {
    viaSocket: 'via-socket',
    dgChat: 'dg-chat',
    iAdvize: 'iadvize',
    engagespot: 'engagespot',
    videoSdk: 'video-sdk',
    intercom: 'intercom',
    zendesk: 'zendesk',
  };
  // Bridges travel with their adapter's file.
  const BRIDGES: Record<string, string> = { zendeskJwtCallback: 'zendesk' };

  for (const adapter of Object.keys(FILES)) {
    it(`widget-token.${FILES[adapter]}.iife.js has the core API and only the ${adapter} adapter`, async () => {
      const { api } = await loadTag(`widget-token.${FILES[adapter]}.iife.js`, {});
      const bridges = Object.keys(BRIDGES).filter((bridge) => BRIDGES[bridge] === adapter);
      expect(api).to.deep.equal(
        [...Object.keys(core), adapter, ...bridges, 'tokens', 'widget'].sort(),
      );
    });
  }

  it('a file refuses a widget it does not contain, naming the one it has', async () => {
    const { started, errors } = await loadTag('widget-token.dg-chat.iife.js', {
      ...dgTag,
      'data-widget': 'iadvize',
      'data-sid': '1',
      'data-token-url': '/token',
    });
    expect(started).to.deep.equal({ tokens: false, widget: false });
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain('data-widget="iadvize"').and.contain('dg-chat');
  });
});

describe('data-allow-cross-origin', () => {
  const elsewhere = 'https://tokens.example.invalid/dg-token';

  it('without it, a token URL on another origin is refused with a message naming the attribute', async () => {
    const { started, errors } = await loadTag('widget-token.dg-chat.iife.js', {
      ...dgTag,
      'data-token-url': elsewhere,
    });
    expect(started.tokens).to.equal(false);
    expect(errors[0]).to.contain('data-allow-cross-origin');
  });

  it('with it (bare or "true"), the source is created for that URL; "false" refuses', async () => {
    for (const value of ['', 'true']) {
      const { started } = await loadTag('widget-token.iife.js', {
        ...dgTag,
        'data-token-url': elsewhere,
        'data-allow-cross-origin': value,
      });
      expect(started, `data-allow-cross-origin="${value}"`).to.deep.equal({
        tokens: true,
        widget: true,
      });
    }
    const refused = await loadTag('widget-token.iife.js', {
      ...dgTag,
      'data-token-url': elsewhere,
      'data-allow-cross-origin': 'false',
    });
    expect(refused.started.tokens).to.equal(false);
  });

  it('a value other than true or false is refused', async () => {
    const { started, errors } = await loadTag('widget-token.iife.js', {
      ...dgTag,
      'data-token-url': elsewhere,
      'data-allow-cross-origin': 'yes',
    });
    expect(started.tokens).to.equal(false);
    expect(errors[0]).to.contain('data-allow-cross-origin must be true or false');
  });
});
