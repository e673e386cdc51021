"""Moving the declarations out of dataprotection keeps every row: the tables stay, only the
migration state moves, and so do the content types (admin history and permissions)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("dataprotection", "0005_device_declarations"), ("declarations", None)]
MODELS = ["declarationanswer", "declarationdue", "declarationissue", "devicedeclaration"]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_a_declaration_made_before_the_move_is_there_after_it():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE).loader.project_state(BEFORE[:1]).apps
        user = old.get_model("accounts", "User").objects.create(
            email="before@example.org", full_name="Before Move"
        )
        declared = old.get_model("dataprotection", "DeviceDeclaration").objects.create(
            user_id=user.pk,
            declared_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC),
            device_description="own laptop",
        )
        content_types = old.get_model("contenttypes", "ContentType").objects
        content_types.filter(app_label="declarations").delete()
        for model in MODELS:
            content_types.get_or_create(app_label="dataprotection", model=model)

        new = migrate(leaves).loader.project_state(leaves).apps

        kept = new.get_model("declarations", "DeviceDeclaration").objects.get(pk=declared.pk)
        assert kept.device_description == "own laptop"
        assert kept.user_id == user.pk
        moved = new.get_model("contenttypes", "ContentType").objects.filter(model__in=MODELS)
        assert sorted(moved.values_list("app_label", "model")) == [
            ("declarations", model) for model in MODELS
        ]
    finally:
        migrate(leaves)
