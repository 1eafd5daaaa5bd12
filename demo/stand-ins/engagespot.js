// Stand-in for Engagespot's browser build: window.Engagespot.render(target, props) renders a bell
// and returns an unmount function.
(function () {
  var recorder = window.__standInRecorder('engagespot');
  window.Engagespot = {
    render: function (target, props) {
      if (!props.apiKey || !props.userId)
        throw new Error('Engagespot stand-in: apiKey and userId required');
      recorder.token(props.userToken, 'render');
      var bell = document.createElement('span');
      bell.className = 'engagespot-stand-in';
      document.querySelector(target).appendChild(bell);
      return function () {
        recorder.call('unmount');
        bell.remove();
      };
    },
  };
})();
