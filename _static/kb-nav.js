/* The menu and contents buttons of the page header on phones and tablets. sphinx-book-theme
   1.3 draws its own header buttons, but pydata-sphinx-theme 0.17 opens the navigation (a
   dialog) only from the first toggle on the page, a hidden one; each visible header button
   hands its click to that toggle whenever its sidebar is not already on screen. */
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    [
      [".primary-toggle", "#pst-primary-sidebar"],
      [".secondary-toggle", "#pst-secondary-sidebar"],
    ].forEach(function (pair) {
      var toggles = document.querySelectorAll(pair[0]);
      var opener = toggles[0];
      Array.prototype.slice.call(toggles, 1).forEach(function (button) {
        button.addEventListener("click", function (event) {
          var sidebar = document.querySelector(pair[1]);
          var shown = sidebar && sidebar.offsetParent !== null && sidebar.offsetWidth > 0;
          if (shown || !opener) return;
          event.preventDefault();
          event.stopImmediatePropagation();
          opener.click();
        }, true);
      });
    });
  });
})();
