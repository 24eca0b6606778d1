/* Small progressive enhancements; every page works without them. The header search
   box's suggestions are search/static/search/autocomplete.js. */
