/* The search page: starts Pagefind's UI on the index parts in ../pagefind/ (listed by
   ../pagefind/parts.js) and runs ?q= from the URL.
   Browsers refuse to load the index into a page opened from a file (file://), so there the
   page explains how to open the site instead. */
(function () {
  "use strict";
  var notice = document.getElementById("search-notice");
  if (location.protocol === "file:") {
    notice.hidden = true;
    document.getElementById("search-file-notice").hidden = false;
    return;
  }
  var parts = window.archiverSearchParts;
  if (typeof PagefindUI === "undefined" || !parts) {
    notice.textContent = "The search index is missing: build the site with search turned on.";
    return;
  }
  if (!parts.length) {
    notice.textContent = "There is nothing to search yet.";
    return;
  }
  notice.hidden = true;
  /* one Pagefind bundle per part of the years (pagefind/2010/, pagefind/2007-2009/ ...),
     newest first: the first is searched, the others merged into it */
  var base = new URL("../", location.href).pathname;
  var bundle = function (name) { return base + "pagefind/" + name + "/"; };
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: base,
    bundlePath: bundle(parts[0]),
    mergeIndex: parts.slice(1).map(function (name) {
      return { bundlePath: bundle(name), baseUrl: base };
    }),
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: true,
    processTerm: function (term) {
      var url = new URL(location.href);
      if (term) { url.searchParams.set("q", term); } else { url.searchParams.delete("q"); }
      history.replaceState(null, "", url);
      return term;
    }
  });
  var input = document.querySelector("#search .pagefind-ui__search-input");
  if (input) { input.setAttribute("aria-label", "Search this archive"); }
  var query = new URLSearchParams(location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
