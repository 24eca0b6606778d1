"""Oscar's dashboard, forked: the home page and the order pages scoped to the companies
a staff user manages, sortable columns only where the database can sort, and the
leads list."""
