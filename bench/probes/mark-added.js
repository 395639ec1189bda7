// True once the page has set more than `count` performance marks named `name`.
([name, count]) => performance.getEntriesByName(name, "mark").length > count
