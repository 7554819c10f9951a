"""`rebuild_search_index`: rebuild the ask index from the directory when it has drifted."""

from django.core.management.base import BaseCommand

from strategists.referrals.ask_index import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the ask index (postings, question full text) and corpus statistics of the directory from its tables."

    def handle(self, *args, **options):
        self.stdout.write(f"{index_rebuild()} resources indexed.")
