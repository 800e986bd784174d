/*
 * gluesim: search that treats an IAM action name such as s3:PutObject as one term.
 *
 * mkdocs-material's search runs in a worker that reads "s3:" as a search field and then
 * looks for "s3" OR "putobject", so pages that only mention S3 come first and show
 * "Missing: putobject". This script sits between the page and that worker (whichever
 * Worker the page uses, including gluesim's file:// stand-in):
 *
 *   - a query word shaped like an IAM action (service:Action, wildcards allowed) is sent
 *     as two required words, "+service +Action*", so every result names both;
 *   - results come back with the ones whose text contains the whole name first, so the
 *     first result for s3:PutObject is a page that says s3:PutObject.
 *
 * Other queries pass through untouched. Written for gluesim (Apache-2.0).
 */
(function () {
  "use strict";
  var QUERY = 2;   // mkdocs-material's SearchMessageType.QUERY
  var RESULT = 3;  // SearchMessageType.RESULT
  var IAM_NAME = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;

  function iamNames(query) {
    return query.trim().split(/\s+/).filter(function (word) { return IAM_NAME.test(word); });
  }

  function rewrite(query) {
    return query.trim().split(/\s+/).map(function (word) {
      var match = IAM_NAME.exec(word);
      if (!match) {
        return word;
      }
      var action = match[2].replace(/[*?]+$/, "");
      return "+" + match[1] + " +" + action + "*";
    }).join(" ");
  }

  function plainText(html) {
    return String(html || "").replace(/<[^>]*>/g, "").toLowerCase();
  }

  function mentions(group, names) {
    return group.some(function (item) {
      var text = plainText(item.title) + " " + plainText(item.text);
      return names.every(function (name) { return text.indexOf(name) >= 0; });
    });
  }

  function reorder(data, names) {
    if (!names.length || !data || !Array.isArray(data.items)) {
      return data;
    }
    var lower = names.map(function (name) { return name.toLowerCase(); });
    var first = data.items.filter(function (group) { return mentions(group, lower); });
    var rest = data.items.filter(function (group) { return !mentions(group, lower); });
    return Object.assign({}, data, { items: first.concat(rest) });
  }

  var Base = window.Worker;

  class IamAwareWorker extends Base {
    constructor(url, options) {
      super(url, options);
      this._names = [];
    }

    postMessage(message) {
      if (message && message.type === QUERY && typeof message.data === "string") {
        this._names = iamNames(message.data);
        if (this._names.length) {
          message = { type: QUERY, data: rewrite(message.data) };
        }
      }
      super.postMessage(message);
    }

    addEventListener(type, listener, options) {
      if (type !== "message" || typeof listener !== "function") {
        return super.addEventListener(type, listener, options);
      }
      var worker = this;
      return super.addEventListener(type, function (event) {
        var data = event.data;
        if (data && data.type === RESULT && worker._names.length) {
          event = new MessageEvent("message", { data: { type: RESULT, data: reorder(data.data, worker._names) } });
        }
        return listener.call(this, event);
      }, options);
    }
  }

  window.Worker = IamAwareWorker;
})();
