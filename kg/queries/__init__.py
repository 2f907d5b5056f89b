"""The named SPARQL queries shipped with kg: one ``.rq`` file per query (see ``kg.query``)."""
