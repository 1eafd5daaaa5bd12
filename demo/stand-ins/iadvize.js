// Stand-in for iadvize.js: runs the functions queued on iAdvizeInterface with an SDK whose
// activate() asks the token provider, as the real one does. A token that does not look like a JWE
// fails activation.
(function () {
  var recorder = window.__standInRecorder('iadvize');
  var queue = window.iAdvizeInterface || [];
  if (!queue.config || !queue.config.sid)
    throw new Error('iAdvize stand-in: no iAdvizeInterface.config.sid');
  var sdk = {
    activate: function (provider) {
      return provider().then(function (answer) {
        var option = answer.authenticationOption;
        recorder.token(option.token, 'provider');
        var ok = option.type === 'SECURED_AUTHENTICATION' && option.token.split('.').length === 5;
        return {
          authentication: ok
            ? { option: option, status: 'authentication-success' }
            : { option: option, status: 'authentication-failure', reason: 'invalid token' },
        };
      });
    },
    logout: function () {
      recorder.call('logout');
      return Promise.resolve();
    },
    // The SDK asks for a token again whenever it wants; tests call this to act as the SDK.
    _provider: null,
  };
  var originalActivate = sdk.activate;
  // ?reask=<seconds>: like the real SDK, ask the provider again from time to time.
  var reask = /[?&]reask=(\d+)/.exec((document.currentScript || {}).src || '');
  sdk.activate = function (provider) {
    sdk._provider = provider;
    if (reask) {
      setInterval(
        function () {
          provider().then(
            function (answer) {
              recorder.token(answer.authenticationOption.token, 'provider');
            },
            function () {},
          );
        },
        Number(reask[1]) * 1000,
      );
    }
    return originalActivate(provider);
  };
  window.iAdvize = sdk;
  var run = function (fn) {
    Promise.resolve().then(function () {
      return fn(sdk);
    });
  };
  queue.forEach(run);
  queue.push = function (fn) {
    run(fn);
    return queue.length;
  };
  window.iAdvizeInterface = queue;
})();
