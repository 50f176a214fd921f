# Reserved for images (issue 7).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_editorial")]
    operations = []
