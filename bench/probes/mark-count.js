// How many performance marks named `name` the page has set.
(name) => performance.getEntriesByName(name, "mark").length
