"""Newsroom's own copies of pictures: safe fetching, validation, renditions.

`fetching` refuses anything but public http(s) hosts, `validation` anything but real JPEG,
PNG, WebP or GIF images of sane size, `renditions` makes the srcset widths, and `service`
ties them to `articles.models.Image` for the importer and the admin.
"""
