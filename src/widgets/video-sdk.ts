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
  /** 1.x returns a promise that rejects on failure; 0.x returns nothing and reports on `error`. */
  join(): void | Promise<void>;
  /** 1.x returns a promise that rejects when not joined (3035) or already left (3054). */
  leave?(): void | Promise<void>;
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
   * @default 'https://sdk.videosdk.live/js-sdk/1.1.1/videosdk.js'
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
   * the meeting once `meeting-joined` fires. A failure the token can cause (4002, 3047, 4022,
   * 4023) refreshes the token and joins once more; any other is a `WidgetError` whose
   * `vendorCode` is VideoSDK's code. Never leaves a rejection of the SDK's unhandled. The meeting
   * is left on `logout()` and `destroy()`.
   */
  join(meetingOptions: Record<string, unknown>): Promise<VideoSdkMeeting>;
}

export const VIDEOSDK_SCRIPT = 'https://sdk.videosdk.live/js-sdk/1.1.1/videosdk.js';
// Failures a newer token can cure: 4002 invalid or expired, 4022 not valid for this meetingId,
// 4023 not valid for this participantId, and 3047, which 1.x's join() rejects with when the server
// refused the token or the meeting. 4001 (API key), 4008 (permissions), 4024 (role) and 4025
// (security configuration) are the backend's to fix: a refresh would sign the same claims again.
const TOKEN_ERRORS = new Set([4002, 3047, 4022, 4023]);

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
  const minValidity = options.minValidityAtJoin ?? 30_000;
  let sdk: VideoSdkLike | undefined = options.sdk;
  let context!: WidgetContext<WidgetEvents>;

  const widget = createWidget({
    name: 'videosdk',
    tokens,
    // The CDN build, unless the app imports the SDK.
    script: sdk
      ? undefined
      : {
          url: options.scriptUrl ?? VIDEOSDK_SCRIPT,
          globals: ['VideoSDK'],
          isReady: () => 'VideoSDK' in window,
          hints: options.hints,
          script: options.script,
        },
    async start(widgetContext) {
      context = widgetContext;
      if (!sdk) {
        await context.script();
        sdk = (window as unknown as { VideoSDK: VideoSdkLike }).VideoSDK;
      }
      sdk.config(await context.token());
    },
    deliver(token) {
      sdk!.config(token);
    },
    // The meeting's media and seat belong to the user who joined: a logout leaves it.
    async logout() {
      await Promise.all([...joined].map(leave));
    },
  });

  // Meetings joined through this widget: left on logout and destroy.
  const joined = new Set<VideoSdkMeeting>();
  const leave = async (meeting: VideoSdkMeeting) => {
    if (!joined.delete(meeting)) return;
    try {
      await meeting.leave?.();
    } catch {
      // 1.x rejects a leave after the meeting already ended (3054): nothing left to end.
    }
  };

  /** One `initMeeting` + `join()`; settles on the first of `meeting-joined`, `error`, or join's rejection. */
  function joinOnce(meetingOptions: Record<string, unknown>): Promise<VideoSdkMeeting> {
    const meeting = sdk!.initMeeting(meetingOptions);
    return new Promise<VideoSdkMeeting>((resolve, reject) => {
      let settled = false;
      const stopListening = () => {
        meeting.off?.('meeting-joined', onJoined as never);
        meeting.off?.('error', onError as never);
      };
      const onJoined = () => {
        if (settled) return;
        settled = true;
        stopListening();
        joined.add(meeting);
        // Joined after a destroy (the join was already under way): end it at once.
        if (context.signal.aborted) void leave(meeting);
        else context.cleanup(() => leave(meeting));
        resolve(meeting);
      };
      const onError = (detail: { code?: number; message?: string } | undefined) => {
        if (settled) return;
        settled = true;
        stopListening();
        reject(
          new WidgetError(
            `VideoSDK join failed: ${detail?.message ?? 'unknown error'}.`,
            detail?.code,
          ),
        );
      };
      meeting.on('meeting-joined', onJoined as never);
      meeting.on('error', onError as never);
      try {
        // 1.x: the same failure arrives both as an `error` event and as join()'s rejection.
        Promise.resolve(meeting.join()).catch(onError);
      } catch (error) {
        onError(error as { code?: number; message?: string });
      }
    });
  }

  async function attempt(
    meetingOptions: Record<string, unknown>,
    retried: boolean,
  ): Promise<VideoSdkMeeting> {
    try {
      return await joinOnce(meetingOptions);
    } catch (error) {
      const code = (error as WidgetError).vendorCode;
      if (retried || typeof code !== 'number' || !TOKEN_ERRORS.has(code)) throw error;
      sdk!.config(await tokens.refresh());
      context.throwIfDestroyed();
      return attempt(meetingOptions, true);
    }
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
