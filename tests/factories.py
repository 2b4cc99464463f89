import factory

from accounts.models import User
from grants.models import Organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Erika"
    last_name = "Muster"
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Verein {n} e.V.")
    legal_form = "ev"
    street = "Lämmertwiete 1"
    postcode = "21073"
    contact_name = "Erika Muster"
    email = factory.Sequence(lambda n: f"verein{n}@example.org")
    account_holder = factory.SelfAttribute("name")
    iban = "DE89370400440532013000"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)
