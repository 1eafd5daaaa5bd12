// Stand-in for Engagespot's browser build (cdn.engagespot.co/engagespot-client.min.js):
// window.Engagespot.render(element | selector, props) returns nothing, like the real one. As with
// React 17's legacy render, the tree's root lives on the element (`_reactRootContainer`, whose
// unmount() ends the inbox); rendering again into the same element updates the live inbox, which
// ignores a new userToken unless apiKey or userId changed (as Engagespot's inbox does). A live inbox
// holds a realtime connection and polls with its token every 30 s; the recorder lists both.
(function () {
  var recorder = window.__standInRecorder('engagespot');
  var record = recorder.record;
  record.connections = record.connections || [];
  record.requests = record.requests || [];
  window.Engagespot = {
    render: function (target, props) {
      var element = typeof target === 'string' ? document.querySelector(target) : target;
      if (!element) throw new Error('Engagespot stand-in: no element to render into');
      if (!props.apiKey || !props.userId)
        throw new Error('Engagespot stand-in: apiKey and userId required');
      var root = element._reactRootContainer;
      if (root && root.live) {
        if (root.props.apiKey === props.apiKey && root.props.userId === props.userId) {
          recorder.call('ignoredToken', { token: props.userToken });
          return;
        }
        root.end();
      }
      recorder.token(props.userToken, 'render');
      var connection = { token: props.userToken, open: true };
      record.connections.push(connection);
      var bell = document.createElement('span');
      bell.className = 'engagespot-stand-in';
      element.appendChild(bell);
      var timer;
      var poll = function () {
        timer = setTimeout(function () {
          record.requests.push({ token: props.userToken, at: Date.now() });
          poll();
        }, 30000);
      };
      poll();
      root = element._reactRootContainer = {
        live: true,
        props: props,
        end: function () {
          root.live = false;
          connection.open = false;
          clearTimeout(timer);
          bell.remove();
        },
        unmount: function () {
          recorder.call('unmount');
          if (root.live) root.end();
        },
      };
    },
  };
})();
