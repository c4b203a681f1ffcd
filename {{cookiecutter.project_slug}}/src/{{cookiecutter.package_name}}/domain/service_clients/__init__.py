"""Service clients: other services that call this one with the OAuth2 client-credentials grant."""
