default_app_config = "out.partner.apps.PartnerConfig"
