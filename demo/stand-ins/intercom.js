// Stand-in for the Intercom Messenger script (https://widget.intercom.io/widget/<app_id>): replaces
// the snippet's queueing window.Intercom, runs the queued commands, and answers boot, update and
// shutdown. Like Intercom with identity verification by JWT it refuses a JWT that is malformed,
// expired or lacks user_id, an update for another user, and commands other than boot while not
// booted (after shutdown). Like Intercom (its install docs) it throttles update: at most 20 calls
// in any 30 minutes are honoured; the 21st is ignored (here recorded as refused, "rate limit").
// It has no expiry event: a JWT it holds simply goes stale, and Intercom.__request() (a Messenger
// request, called by tests) is then refused with 401.
(function () {
  var recorder = window.__standInRecorder('intercom');
  var snippet = window.Intercom;
  var queued = (snippet && snippet.q) || [];
  var session = { booted: false, userId: undefined, jwt: undefined, launcher: undefined };
  var UPDATE_LIMIT = 20;
  var UPDATE_WINDOW = 30 * 60000;
  // When each update was honoured: the throttle outlives a shutdown and a new tag (a page load
  // resets it, as the recorder is reset per test).
  var updates = (recorder.record.updates = recorder.record.updates || []);
  function claims(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch (error) {
      return undefined;
    }
  }
  function problem(token) {
    var payload = typeof token === 'string' && token.split('.').length === 3 && claims(token);
    if (!payload) return 'not a JWT';
    if (!payload.user_id) return 'no user_id';
    if (payload.exp && payload.exp * 1000 <= Date.now()) return 'expired';
    return undefined;
  }
  function refuse(command, reason) {
    recorder.call('refused', { command: command, reason: reason });
  }
  function Intercom(command, settings) {
    settings = settings || {};
    if (command === 'boot') {
      if (!settings.app_id) return refuse('boot', 'no app_id');
      var jwt = settings.intercom_user_jwt;
      recorder.token(jwt, 'boot');
      var reason = problem(jwt);
      if (reason) return refuse('boot', reason);
      session.booted = true;
      session.userId = claims(jwt).user_id;
      session.jwt = jwt;
      recorder.call('boot', { appId: settings.app_id, userId: session.userId });
      if (!session.launcher) {
        session.launcher = document.createElement('div');
        session.launcher.className = 'intercom-lightweight-app';
        document.body.append(session.launcher);
      }
      return;
    }
    if (command === 'shutdown') {
      recorder.call('shutdown');
      session.booted = false;
      session.userId = session.jwt = undefined;
      if (session.launcher) session.launcher.remove();
      session.launcher = undefined;
      return;
    }
    if (!session.booted) return refuse(command, 'not booted');
    if (command === 'update') {
      var recent = updates.filter(function (at) {
        return at > Date.now() - UPDATE_WINDOW;
      });
      if (recent.length >= UPDATE_LIMIT) return refuse('update', 'rate limit');
      updates.push(Date.now());
      if (!('intercom_user_jwt' in settings)) return recorder.call('update');
      var next = settings.intercom_user_jwt;
      recorder.token(next, 'update');
      var why = problem(next) || (claims(next).user_id !== session.userId ? 'another user' : '');
      if (why) return refuse('update', why);
      session.jwt = next;
      return recorder.call('update');
    }
    recorder.call(command);
  }
  // What the Messenger does when it talks to Intercom: refused once its JWT has expired.
  Intercom.__request = function () {
    if (!session.booted) return refuse('request', 'not booted');
    if (problem(session.jwt)) recorder.call('error', { status: 401, reason: problem(session.jwt) });
  };
  window.Intercom = Intercom;
  // The real script boots from window.intercomSettings when the page set it and queued no boot.
  var boots = queued.some(function (args) {
    return args[0] === 'boot';
  });
  if (!boots && window.intercomSettings) Intercom('boot', window.intercomSettings);
  queued.forEach(function (args) {
    Intercom.apply(null, args);
  });
})();
