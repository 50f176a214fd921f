# The application behind Varnish: gunicorn as `make serve` or `make front` starts it. A deployment
# replaces this file (vcl_path looks in the directory given first); the probe's Host must be in
# ALLOWED_HOSTS, and /healthz is exempt from the HTTPS redirect.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = {
        .request = "GET /healthz HTTP/1.1" "Host: 127.0.0.1" "Connection: close";
        .interval = 1s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
    }
}
