// Stand-in for the VideoSDK CDN script: window.VideoSDK with config/initMeeting. A join fails with
// 4002 when the configured token is one the test marked expired (window.__standIns.videosdk.rejectTokens).
(function () {
  var recorder = window.__standInRecorder('videosdk');
  var configured;
  window.VideoSDK = {
    config: function (token) {
      configured = token;
      recorder.token(token, 'config');
    },
    initMeeting: function (options) {
      var listeners = {};
      var token = configured;
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
          setTimeout(function () {
            var event = rejected ? 'error' : 'meeting-joined';
            var detail = rejected
              ? { code: 4002, message: 'Token is invalid or expired' }
              : undefined;
            (listeners[event] || []).slice().forEach(function (fn) {
              fn(detail);
            });
          }, 5);
        },
        leave: function () {
          recorder.call('leave');
        },
      };
    },
  };
})();
