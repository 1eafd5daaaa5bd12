// Stand-in for iadvize.js: runs the functions queued on iAdvizeInterface with an SDK whose
// activate() asks the token provider, as the real one does. A token that does not look like a JWE
// fails activation. Like iAdvize, it allows one activation per page until logout(): a second
// activate() fails with "Can't activate twice, please logout first", and one while another is under
// way with "An activation is already ongoing". That state outlives the tag being removed and
// injected again (it lives in the recorder, reset per test like a page load).
(function () {
  var recorder = window.__standInRecorder('iadvize');
  var session = (recorder.record.session = recorder.record.session || { state: 'none' });
  var queue = window.iAdvizeInterface || [];
  if (!queue.config || !queue.config.sid)
    throw new Error('iAdvize stand-in: no iAdvizeInterface.config.sid');
  var sdk = {
    activate: function (provider) {
      if (session.state === 'activating')
        return Promise.reject(new Error('An activation is already ongoing'));
      if (session.state === 'active')
        return Promise.reject(new Error("Can't activate twice, please logout first"));
      session.state = 'activating';
      recorder.call('activate');
      return provider().then(
        function (answer) {
          var option = answer.authenticationOption;
          recorder.token(option.token, 'provider');
          var ok = option.type === 'SECURED_AUTHENTICATION' && option.token.split('.').length === 5;
          session.state = ok ? 'active' : 'none';
          return {
            authentication: ok
              ? { option: option, status: 'authentication-success' }
              : { option: option, status: 'authentication-failure', reason: 'invalid token' },
          };
        },
        function (error) {
          session.state = 'none';
          throw error;
        },
      );
    },
    logout: function () {
      session.state = 'none';
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
