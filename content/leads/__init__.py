"""The lead pipeline: storing and merging requests, matching them to companies,
their stages, owners and notes (`services`), what the form asks the person to agree
to (`consent`), the staff groups that work leads (`groups`) and the reads of the
Wagtail admin (`selectors`)."""
