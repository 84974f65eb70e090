"""Bodies named after a university: derived from the final names, by prefix."""

from __future__ import annotations

from graph.model import Graph, Node
from graph.owners import derive_named_after


def _graph(*nodes: Node) -> Graph:
    return Graph(nodes={n.id: n for n in nodes})


def test_a_body_opening_with_a_university_name_or_alias_is_named_after_it() -> None:
    uni = Node("University:青川大学", "University", "青川大学", aliases=["青大"])
    other = Node("University:青川", "University", "青川")  # a name that opens the first one's
    institute = Node("ResearchInstitute:青川大学星港研究院", "ResearchInstitute", "青川大学星港研究院")
    lab = Node("Lab:青大海洋实验室", "Lab", "青大海洋实验室")
    park = Node("Park:云帆产业园", "Park", "云帆产业园", props={"named_after": ["University:gone"]})
    company = Node("Enterprise:青川大学科技公司", "Enterprise", "青川大学科技公司")
    graph = _graph(uni, other, institute, lab, park, company)

    assert derive_named_after(graph) == 2
    assert institute.props["named_after"] == ["University:青川", "University:青川大学"]
    assert lab.props["named_after"] == ["University:青川大学"]
    assert "named_after" not in park.props  # a stale value from an earlier name is dropped
    assert "named_after" not in company.props  # companies are not among the bodies it covers
