default_app_config = "out.catalogue.apps.CatalogueConfig"
