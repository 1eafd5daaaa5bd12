// Stand-in for viaSocket's prod-embedcomponent.js: starts from its own tag's attributes
// (embedToken, parentId, config). With ?runtime=0 it has no window.viaSocket.mount API.
(function () {
  var recorder = window.__standInRecorder('viasocket');
  var tag = document.getElementById('viasocket-embed-main-script');
  if (!tag) throw new Error('viaSocket stand-in: no #viasocket-embed-main-script tag');
  var runtime = !/[?&]runtime=0/.test(tag.src);
  function render(token, parent, config, how) {
    recorder.token(token, how);
    recorder.call('config', config);
    var frame = document.createElement('div');
    frame.className = 'viasocket-stand-in';
    (parent || document.body).appendChild(frame);
    return frame;
  }
  var parentId = tag.getAttribute('parentId');
  render(
    tag.getAttribute('embedToken'),
    parentId && document.getElementById(parentId),
    tag.getAttribute('config'),
    'tag',
  );
  window.openViasocket = function (flowId) {
    recorder.call('open', flowId);
  };
  window.handleclose = function () {
    recorder.call('close');
  };
  if (runtime) {
    window.viaSocket = {
      mount: function (options) {
        var parent =
          typeof options.parent === 'string'
            ? document.getElementById(options.parent)
            : options.parent;
        var frame = render(options.embedToken, parent, options.config, 'mount');
        return {
          open: function (flowId) {
            recorder.call('open', flowId);
          },
          destroy: function () {
            recorder.call('destroy');
            frame.remove();
          },
        };
      },
    };
  }
})();
