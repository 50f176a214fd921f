# Reserved for the reader site's search index (issue 5).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = []
