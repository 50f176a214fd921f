"""Why an image was not taken: each reason is stored in `Image.fetch_error` for editors."""


class ImageError(Exception):
    """Base class: `reason` is a short sentence fit for the admin and the command's output."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class UnsafeURL(ImageError):
    """The URL (or a redirect) names a scheme, host or address we refuse to contact."""


class FetchFailed(ImageError):
    """The host answered badly: an error status, too many redirects, too big, too slow."""


class InvalidImage(ImageError):
    """The bytes are not an image we accept: not decodable, a refused format, too many pixels."""
