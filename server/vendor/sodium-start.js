/*
 * sodium-start.js: the first lines of lib-sodium.js (server/vendor/build.sh
 * puts libsodium and libsodium-wrappers after them).  A page's strict CSP
 * refuses WebAssembly, so libsodium's attempt to instantiate its module is
 * rejected and it falls back to its JavaScript build by itself; that one
 * rejection is expected and handled here instead of reaching the console
 * as an error.  Any other rejection is left alone.
 */
(function () {
  'use strict';
  var refused = /^RuntimeError: Aborted\(CompileError: WebAssembly\./;
  self.addEventListener('unhandledrejection', function (event) {
    if (refused.test(String(event.reason))) event.preventDefault();
  });
})();
