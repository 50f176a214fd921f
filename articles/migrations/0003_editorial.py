# Reserved for the editorial desk: audit trail, Editor group (issue 4).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_search")]
    operations = []
