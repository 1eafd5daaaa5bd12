// Stand-in for the VideoSDK 1.x script: window.VideoSDK with config/initMeeting. As in 1.1.1, a
// failed join is reported twice: an `error` event with {code, message} and join()'s promise
// rejecting with the same code (an unhandled rejection if the caller ignores it); leave() rejects
// when not joined (3035) or already left (3054). A join fails when the configured token is one the
// test marked (window.__standIns['video-sdk'].rejectTokens), with record.rejectCode (default 4002).
(function () {
  var recorder = window.__standInRecorder('video-sdk');
  var configured;
  function sdkError(code, message) {
    var error = new Error(message);
    error.code = code;
    return error;
  }
  window.VideoSDK = {
    config: function (token) {
      configured = token;
      recorder.token(token, 'config');
    },
    initMeeting: function (options) {
      var listeners = {};
      var token = configured;
      var state = 'new';
      var emit = function (event, detail) {
        (listeners[event] || []).slice().forEach(function (fn) {
          fn(detail);
        });
      };
      return {
        on: function (event, fn) {
          (listeners[event] = listeners[event] || []).push(fn);
        },
        off: function (event, fn) {
          listeners[event] = (listeners[event] || []).filter(function (f) {
            return f !== fn;
          });
        },
        join: function () {
          recorder.call('join', { meetingId: options.meetingId, token: token });
          var rejected = (recorder.record.rejectTokens || []).indexOf(token) !== -1;
          var code = recorder.record.rejectCode || 4002;
          return new Promise(function (resolve, reject) {
            setTimeout(function () {
              if (rejected) {
                var message = 'Token is invalid or expired';
                state = 'failed';
                emit('error', { code: code, message: message });
                reject(sdkError(code, message));
                return;
              }
              state = 'joined';
              emit('meeting-joined');
              resolve();
            }, 5);
          });
        },
        leave: function () {
          if (state !== 'joined') {
            return Promise.reject(
              state === 'left'
                ? sdkError(3054, 'Already in requested state')
                : sdkError(3035, 'Action performed before meeting joined'),
            );
          }
          state = 'left';
          recorder.call('leave', { token: token });
          emit('meeting-left');
          return Promise.resolve();
        },
      };
    },
  };
})();
