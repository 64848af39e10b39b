/* The search page: starts Pagefind's UI on the index in ../pagefind/ and runs ?q= from the URL.
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
  if (typeof PagefindUI === "undefined") {
    notice.textContent = "The search index is missing: build the site with search turned on.";
    return;
  }
  notice.hidden = true;
  var base = new URL("../", location.href).pathname;
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: base,
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
