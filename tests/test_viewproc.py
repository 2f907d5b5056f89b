"""graph.html rendered apart (kg/outputs/viewproc.py): the page of the process is the page
rendered in the build's own process, and what goes wrong there comes back as the error it was."""
from __future__ import annotations

import errno

import pyoxigraph as ox
import pytest

from kg.graph.oxgraph import OxGraph
from kg.outputs.view import render_html
from kg.outputs.viewproc import ViewProcess

TTL = b"""@prefix kg: <https://w3id.org/kgpa/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/kgpa/id/region/1> a kg:Region ; rdfs:label "\xe6\xb9\x96\xe5\x8d\x97\xe7\x9c\x81"@zh .
<https://w3id.org/kgpa/id/body/2> a kg:Body ; rdfs:label "\xe7\x9c\x81\xe5\xa7\x94"@zh ;
    kg:locatedIn <https://w3id.org/kgpa/id/region/1> .
"""


@pytest.fixture
def store_dir(tmp_path):
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.load(TTL, format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    return path


def test_the_page_is_the_one_rendered_here(store_dir, tmp_path):
    seconds = ViewProcess(store_dir, tmp_path / "apart.html").result()
    assert seconds > 0
    render_html(OxGraph.over(ox.Store.read_only(str(store_dir))), tmp_path / "here.html")
    assert (tmp_path / "apart.html").read_bytes() == (tmp_path / "here.html").read_bytes()


def test_a_page_that_cannot_be_written_is_the_os_error(store_dir, tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OSError) as caught:
        ViewProcess(store_dir, tmp_path / "afile" / "graph.html").result()
    assert caught.value.errno in (errno.ENOTDIR, errno.EEXIST)      # (the page's folder is made first)


def test_a_store_that_cannot_be_read_is_an_error(tmp_path):
    (tmp_path / "nostore").write_text("x")
    with pytest.raises((OSError, RuntimeError)):
        ViewProcess(tmp_path / "nostore", tmp_path / "graph.html").result()
    assert not (tmp_path / "graph.html").exists()


def test_stop_ends_a_running_process(store_dir, tmp_path):
    view = ViewProcess(store_dir, tmp_path / "graph.html")
    view.stop()
    assert view._proc.poll() is not None
