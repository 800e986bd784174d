/*
 * gluesim: offline search for sites opened from file://.
 *
 * Browsers refuse to start a Web Worker from a file:// URL, and mkdocs-material runs
 * its search in a worker. When the page itself comes from file://, this script replaces
 * `Worker` with a stand-in that runs the worker script inside a hidden iframe of the
 * same page, so search works from a zip on a laptop with no network. Nothing is fetched
 * from anywhere but the site's own folder. Written for gluesim (Apache-2.0).
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") {
    return;
  }

  function loadScript(scope, src) {
    return new Promise(function (resolve, reject) {
      var script = scope.document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      scope.document.head.appendChild(script);
    });
  }

  class FileWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._pending = [];
      this._ready = false;
      this._frame = document.createElement("iframe");
      this._frame.setAttribute("aria-hidden", "true");
      this._frame.tabIndex = -1;
      this._frame.style.display = "none";
      document.body.appendChild(this._frame);
      this._expose(this._frame.contentWindow);
      loadScript(this._frame.contentWindow, new URL(url, location.href).href).then(
        this._start.bind(this),
        this._fail.bind(this)
      );
    }

    _expose(scope) {
      var worker = this;
      // Inside a real worker, postMessage() talks to the page; here it must too.
      scope.postMessage = function (data) {
        setTimeout(function () { worker._deliver(structuredClone(data)); }, 0);
      };
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (done, src) {
          return done.then(function () { return loadScript(scope, src); });
        }, Promise.resolve());
      };
    }

    _start() {
      this._ready = true;
      this._pending.splice(0).forEach(this._send, this);
    }

    _fail(error) {
      var event = new ErrorEvent("error", { message: String(error), error: error });
      if (this.onerror) {
        this.onerror(event);
      }
      this.dispatchEvent(event);
    }

    _send(data) {
      var scope = this._frame.contentWindow;
      var copy = structuredClone(data);
      setTimeout(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: copy }));
      }, 0);
    }

    _deliver(data) {
      var event = new MessageEvent("message", { data: data });
      if (this.onmessage) {
        this.onmessage(event);
      }
      this.dispatchEvent(event);
    }

    postMessage(data) {
      if (this._ready) {
        this._send(data);
      } else {
        this._pending.push(data);
      }
    }

    terminate() {
      this._frame.remove();
    }
  }

  // mkdocs-material's search worker looks for this name to find its own folder when
  // it runs inside an iframe (it needs it only for non-English stemmers).
  window.IFrameWorker = FileWorker;
  window.Worker = FileWorker;
})();
