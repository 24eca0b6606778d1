"""The document archive (/cabinet/documents/): every document of the company, ZIPs
streamed or built by a worker, and a document sent again by e-mail."""
