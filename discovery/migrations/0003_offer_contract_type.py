"""Contract types become one small vocabulary (Offer.ContractType). The wordings stored so
far ("FullTime", "full time", "CDI", what a person typed…) are read onto it; each offer
whose wording changes keeps it in its raw data, as "contract_type", unless its raw data
already has that key."""

from django.db import migrations, models

from discovery.contracts import contract_type

# jsonb's || keeps the right-hand value of a key both sides have: the raw data's own.
_NORMALISE = """
UPDATE {table} SET contract_type = %s,
    raw_data = CASE WHEN jsonb_typeof(raw_data) = 'object'
                    THEN jsonb_build_object('contract_type', contract_type) || raw_data ELSE raw_data END
WHERE contract_type = %s
"""


def normalise_contract_types(apps, schema_editor):
    Offer = apps.get_model("discovery", "Offer")
    wordings = Offer.objects.exclude(contract_type="").values_list("contract_type", flat=True).distinct()
    with schema_editor.connection.cursor() as cursor:
        # A few distinct wordings, however many offers: one UPDATE each.
        for wording in list(wordings):
            code = contract_type(wording)
            if code != wording:
                cursor.execute(_NORMALISE.format(table=schema_editor.quote_name(Offer._meta.db_table)), [code, wording])


class Migration(migrations.Migration):

    dependencies = [
        ("discovery", "0002_offer_inbox_order"),
    ]

    operations = [
        migrations.RunPython(normalise_contract_types, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="offer",
            name="contract_type",
            field=models.CharField(blank=True, choices=[("", "Not stated"), ("full_time", "Full-time"), ("part_time", "Part-time"), ("contract", "Contract"), ("freelance", "Freelance"), ("internship", "Internship"), ("apprenticeship", "Apprenticeship"), ("temporary", "Temporary")], default="", max_length=20),
        ),
    ]
