import { WidgetError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import {
  createWidget,
  type ScriptOptions,
  type WidgetContext,
  type WidgetEvents,
  type WidgetHandle,
} from './create-widget.js';

/** The part of a VideoSDK meeting the adapter uses. */
export interface VideoSdkMeeting {
  join(): void;
  leave?(): void;
  on(event: string, listener: (detail: never) => void): void;
  off?(event: string, listener: (detail: never) => void): void;
}

/** The part of the VideoSDK (npm `@videosdk.live/js-sdk` or the CDN global) the adapter uses. */
export interface VideoSdkLike {
  config(token: string): void;
  initMeeting(options: Record<string, unknown>): VideoSdkMeeting;
}

/** Options of {@link videoSdk}. */
export interface VideoSdkOptions extends ScriptOptions {
  tokens: TokenSource;
  /** The SDK object when the app imports it; otherwise the CDN script is loaded. */
  sdk?: VideoSdkLike;
  /**
   * The CDN script, which defines `window.VideoSDK`.
   * @default 'https://sdk.videosdk.live/js-sdk/0.1.6/videosdk.js'
   */
  scriptUrl?: string;
  /**
   * A join uses a token valid for at least this long, else it refreshes first, in ms.
   * @default 30_000
   */
  minValidityAtJoin?: number;
}

export interface VideoSdkWidget extends WidgetHandle<WidgetEvents> {
  /**
   * Joins a meeting with a fresh token: `initMeeting(meetingOptions)` then `join()`. Resolves with
   * the meeting once `meeting-joined` fires. On error 4001 or 4002 it refreshes the token,
   * configures the SDK and joins once more.
   */
  join(meetingOptions: Record<string, unknown>): Promise<VideoSdkMeeting>;
}

export const VIDEOSDK_SCRIPT = 'https://sdk.videosdk.live/js-sdk/0.1.6/videosdk.js';
// VideoSDK's codes for an invalid API key and an invalid or expired token.
const TOKEN_ERRORS = new Set([4001, 4002]);

/**
 * VideoSDK. The token is checked only when joining, so the adapter calls `config(token)` at start
 * and on every new token, and `join()` makes sure the token will still be valid when the join
 * request arrives.
 *
 * @example
 * const video = videoSdk({ tokens, sdk: VideoSDK });
 * const meeting = await video.join({ meetingId, name: 'Ada', micEnabled: true, webcamEnabled: false });
 */
export function videoSdk(options: VideoSdkOptions): VideoSdkWidget {
  const { tokens } = options;
  const scriptUrl = options.scriptUrl ?? VIDEOSDK_SCRIPT;
  const minValidity = options.minValidityAtJoin ?? 30_000;
  let sdk: VideoSdkLike | undefined = options.sdk;
  let context!: WidgetContext<WidgetEvents>;

  const widget = createWidget({
    name: 'videosdk',
    tokens,
    async start(widgetContext) {
      context = widgetContext;
      const token = context.token();
      token.catch(() => {}); // awaited below; a script failure must not leave it unhandled
      if (!sdk) {
        // The SDK needs no token to load: fetch both at once.
        if (options.hints !== false) context.hint(scriptUrl, { preload: false, ...options.script });
        context.ownGlobals(['VideoSDK']);
        await context.loadScript({
          url: scriptUrl,
          ...options.script,
          isReady: () => 'VideoSDK' in window,
        });
        sdk = (window as unknown as { VideoSDK: VideoSdkLike }).VideoSDK;
      }
      sdk.config(await token);
    },
    deliver(token) {
      sdk!.config(token);
    },
  });

  function attempt(
    meetingOptions: Record<string, unknown>,
    retried: boolean,
  ): Promise<VideoSdkMeeting> {
    const meeting = sdk!.initMeeting(meetingOptions);
    return new Promise((resolve, reject) => {
      const onJoined = () => {
        meeting.off?.('error', onError as never);
        context.cleanup(() => meeting.leave?.());
        resolve(meeting);
      };
      const onError = async (detail: { code?: number; message?: string }) => {
        meeting.off?.('meeting-joined', onJoined as never);
        meeting.off?.('error', onError as never);
        if (TOKEN_ERRORS.has(detail.code ?? 0) && !retried) {
          try {
            sdk!.config(await tokens.refresh());
            context.throwIfDestroyed();
            resolve(attempt(meetingOptions, true));
          } catch (error) {
            reject(error);
          }
          return;
        }
        reject(
          new WidgetError(
            `VideoSDK join failed: ${detail.message ?? 'unknown error'}.`,
            detail.code,
          ),
        );
      };
      meeting.on('meeting-joined', onJoined as never);
      meeting.on('error', onError as never);
      meeting.join();
    });
  }

  return Object.assign(widget, {
    async join(meetingOptions: Record<string, unknown>) {
      await widget.ready;
      const expiresAt = tokens.expiresAt;
      const token =
        tokens.token !== undefined &&
        (expiresAt === undefined || expiresAt - Date.now() >= minValidity)
          ? tokens.token
          : await tokens.refresh();
      context.throwIfDestroyed();
      sdk!.config(token);
      return attempt(meetingOptions, false);
    },
  });
}
