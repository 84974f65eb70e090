"""The one declaration of the graph schema: labels, relationship types, endpoint patterns, properties.

Everything else is generated from it: validation/pruning (graph/validate.py), the LadybugDB DDL, the
Neo4j constraints and indexes, the markdown table for the README and the colours of the app legend.
Change the graph here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

# Property types, spelled as LadybugDB spells them. Neo4j is schemaless: the same names document intent.
STRING = "STRING"
INT64 = "INT64"
DOUBLE = "DOUBLE"
BOOL = "BOOL"
STRING_LIST = "STRING[]"
PROPERTY_TYPES = (STRING, INT64, DOUBLE, BOOL, STRING_LIST)


@dataclass(frozen=True)
class Prop:
    """One property of a node label or relationship type."""

    name: str
    type: str
    required: bool = False
    # Part of a relationship's identity: two MEMBER_OF edges with different roles are two edges.
    key: bool = False
    # The Python value is a dict/list; both stores keep it as a JSON string (neither holds maps).
    json: bool = False
    doc: str = ""


@dataclass(frozen=True)
class NodeSpec:
    label: str
    description: str
    color: str
    props: tuple[Prop, ...] = ()
    # What the app and the README call it: the Chinese name first (users read Chinese plans), and an
    # English one. The label itself is a code, never shown in the Chinese interface.
    zh: str = ""
    en: str = ""
    # Optional labels (the policy layer) may be absent from a build; they still get tables.
    optional: bool = False
    # Place-like things whose generic names (化工产业园) are told apart by the region they lie in.
    region_scoped: bool = False


@dataclass(frozen=True)
class RelSpec:
    type: str
    description: str
    sources: frozenset[str]
    targets: frozenset[str]
    props: tuple[Prop, ...] = ()
    zh: str = ""  # the relationship's name in Chinese (支撑, 缺少 …) and in English, as the app shows it
    en: str = ""
    # Stored once with endpoints in id order; queries match it without direction.
    undirected: bool = False
    optional: bool = False

    def patterns(self) -> list[tuple[str, str]]:
        """Every allowed (source label, target label) pair, in a stable order."""
        return [(s, t) for s in sorted(self.sources) for t in sorted(self.targets)]

    def allows(self, source: str, target: str) -> bool:
        if source in self.sources and target in self.targets:
            return True
        return self.undirected and target in self.sources and source in self.targets


DOCUMENT = "Document"
MENTIONED_IN = "MENTIONED_IN"

# Properties every entity label has. `docs` lists the ids of the documents that mention the entity,
# `props` keeps extracted properties the schema does not declare, so nothing is silently lost.
ENTITY_PROPS: tuple[Prop, ...] = (
    Prop("id", STRING, required=True, doc="`<Label>:` + normalised name (+ `@region` when ambiguous)"),
    Prop("name", STRING, required=True, doc="fullest surface form"),
    Prop("aliases", STRING_LIST, doc="other surface forms, all documents"),
    Prop("region", STRING, doc="region that tells a generic name apart"),
    Prop("docs", STRING_LIST, doc="ids of the documents mentioning it"),
    Prop("props", STRING, json=True, doc="undeclared extracted properties (JSON)"),
)

# Properties every relationship type has (MENTIONED_IN included).
REL_PROPS: tuple[Prop, ...] = (
    Prop("key", STRING, doc="identity within (src, type, dst): key properties, e.g. `role=1`"),
    Prop("evidence", STRING, json=True, doc="list of evidence objects (JSON): doc_id, sentence, span"),
    Prop("docs", STRING_LIST, doc="ids of the documents stating it"),
    Prop("props", STRING, json=True, doc="undeclared extracted properties (JSON)"),
)

DOCUMENT_PROPS: tuple[Prop, ...] = (
    Prop("id", STRING, required=True, doc="content hash of the stored text"),
    Prop("name", STRING, required=True, doc="file name"),
    Prop("title", STRING),
    Prop("issuer", STRING),
    Prop("date", STRING),
    Prop("source", STRING, doc="source file path"),
    Prop("content_hash", STRING),
    Prop("fmt", STRING, doc="txt, html, docx, pdf"),
)

# Derived on the final graph (graph/owners.py): the universities a body is named after, so that
# "which bodies carry a university's name" is a key lookup, not every body against every university.
NAMED_AFTER = Prop(
    "named_after", STRING_LIST, doc="ids of the universities whose name or alias opens its name (derived)"
)
# The labels of bodies that may carry a university's name.
NAMED_AFTER_LABELS = frozenset({"ResearchInstitute", "Lab", "Platform", "Park", "Incubator"})

ORGS = frozenset(
    {"University", "ResearchInstitute", "Lab", "Platform", "Park", "Incubator", "Enterprise", "GovAgency"}
)
ACTORS = ORGS | {"Region"}

NODES: tuple[NodeSpec, ...] = (
    NodeSpec(
        "University",
        "university, college or campus",
        "#1f77b4",
        region_scoped=True,
        zh="高校",
        en="university",
    ),
    NodeSpec(
        "ResearchInstitute",
        "R&D institute, academy, 研究院/研究所",
        "#aec7e8",
        region_scoped=True,
        zh="研究院所",
        props=(NAMED_AFTER,),
        en="research institute",
    ),
    NodeSpec(
        "Lab",
        "laboratory, key lab",
        "#17becf",
        region_scoped=True,
        zh="实验室",
        props=(NAMED_AFTER,),
        en="lab",
    ),
    NodeSpec(
        "Platform",
        "innovation platform, centre, community, test field",
        "#9edae5",
        region_scoped=True,
        zh="平台",
        props=(NAMED_AFTER,),
        en="platform",
    ),
    NodeSpec(
        "Park",
        "park, zone, science city, base",
        "#2ca02c",
        region_scoped=True,
        zh="园区",
        props=(NAMED_AFTER,),
        en="park",
    ),
    NodeSpec(
        "Incubator",
        "maker space, incubator, accelerator",
        "#98df8a",
        region_scoped=True,
        zh="孵化载体",
        props=(NAMED_AFTER,),
        en="incubator",
    ),
    NodeSpec("Enterprise", "company or company group", "#ff7f0e", zh="企业", en="enterprise"),
    NodeSpec(
        "Region",
        "city, county, district, zone as an area, economic region",
        "#7f7f7f",
        region_scoped=True,
        zh="区域",
        en="region",
    ),
    NodeSpec("GovAgency", "government department or body", "#8c564b", zh="政府部门", en="government agency"),
    NodeSpec(
        "IndustryCluster",
        "one of the city's industry clusters",
        "#d62728",
        zh="产业集群",
        en="industry cluster",
    ),
    NodeSpec(
        "IndustryChain",
        "named industry chain / technology innovation chain",
        "#ff9896",
        zh="产业链",
        en="industry chain",
    ),
    NodeSpec(
        "ChainLink", "segment, product or component of a chain", "#f7b6d2", zh="产业链环节", en="chain link"
    ),
    NodeSpec(
        "InnovationSystem",
        "named counted system (1+4+N)",
        "#9467bd",
        props=(
            Prop("declared", STRING, json=True, doc='declared counts per role (JSON), e.g. {"N": 12}'),
            Prop("declared_total", INT64, doc="declared size: given, or the sum of the declared counts"),
        ),
        zh="创新体系",
        en="innovation system",
    ),
    NodeSpec("Event", "named recurring event, competition, conference", "#bcbd22", zh="活动", en="event"),
    NodeSpec("Program", "named programme, project, plan, fund", "#dbdb8d", zh="计划项目", en="programme"),
    NodeSpec(
        "Measure",
        "numbered policy measure (policy layer)",
        "#c49c94",
        optional=True,
        props=(
            Prop("number", INT64, doc="its number in the document"),
            Prop("awards", STRING, json=True, doc="awards/subsidies it grants (JSON list)"),
        ),
        zh="政策措施",
        en="policy measure",
    ),
    NodeSpec(
        "AwardKind",
        "a kind of thing a measure rewards: 全国重点实验室, 国家级科技企业孵化器 … (policy layer)",
        "#ad494a",
        optional=True,
        zh="奖补对象",
        en="award kind",
    ),
    NodeSpec(
        "Indicator",
        "a figure about a place: target or reported value of a measured quantity (policy layer)",
        "#e377c2",
        optional=True,
        props=(
            Prop(
                "key",
                STRING,
                doc="vocabulary key (data/ontology/indicators.yaml); empty if unmapped",
            ),
            Prop("indicator", STRING, doc="what is measured: vocabulary label, else the document's words"),
            Prop("metric", STRING, doc="what is measured, in the document's words"),
            Prop("kind", STRING, doc="target, reported or baseline"),
            Prop("value", DOUBLE, doc="the number as stated"),
            Prop("unit", STRING, doc="the unit as stated: %, 家, 亿元, 人年 …"),
            Prop("value_base", DOUBLE, doc="the value in the unit class's base unit (money in 万元)"),
            Prop("base_unit", STRING),
            Prop("unit_class", STRING, doc="percent, count, money, person_years, area …"),
            Prop("qualifier", STRING, doc="about, over, at_least, at_most, nearly, or empty"),
            Prop("year", INT64, doc="the year the value is for (target year or year reported)"),
            Prop("year_source", STRING, doc="where the year came from: sentence, section, period …"),
            Prop("better", STRING, doc="higher or lower: which direction meets a target"),
        ),
        zh="指标",
        en="indicator",
    ),
)

DOCUMENT_SPEC = NodeSpec(DOCUMENT, "source document (provenance)", "#c7c7c7", zh="文件", en="document")

RELS: tuple[RelSpec, ...] = (
    RelSpec(
        "MEMBER_OF",
        "src is a member/component of system or body dst",
        ACTORS | {"Program"},
        ORGS | {"InnovationSystem", "Program"},
        props=(Prop("role", STRING, key=True, doc="role in a counted system: 1, 4, N"),),
        zh="成员",
        en="member of",
    ),
    RelSpec(
        "LEADS",
        "src leads the building of dst",
        ACTORS,
        ORGS | {"Program", "InnovationSystem", "IndustryChain", "Event"},
        zh="牵头",
        en="leads",
    ),
    RelSpec(
        "PARTICIPATES_IN",
        "src takes part in building dst",
        ACTORS,
        ORGS | {"Program", "InnovationSystem", "IndustryChain", "Event"},
        zh="参与",
        en="takes part in",
    ),
    RelSpec(
        "BASED_ON",
        "dst is built relying on carrier src",
        ACTORS | {"Program"},
        ACTORS | {"InnovationSystem", "Program"},
        zh="依托",
        en="carrier of",
    ),
    RelSpec(
        "LOCATED_IN",
        "src lies in region (or park) dst",
        ACTORS | {"Event"},
        frozenset({"Region", "Park"}),
        zh="位于",
        en="located in",
    ),
    RelSpec(
        "SUPPORTS",
        "an organisation/park/platform supports a chain or cluster",
        ACTORS | {"Program", "InnovationSystem"},
        frozenset({"IndustryChain", "IndustryCluster", "ChainLink"}),
        zh="支撑",
        en="supports",
    ),
    RelSpec(
        "PART_OF_CLUSTER",
        "a chain belongs to a cluster",
        frozenset({"IndustryChain"}),
        frozenset({"IndustryCluster"}),
        zh="属于集群",
        en="part of cluster",
    ),
    RelSpec(
        "HAS_LINK",
        "dst is a segment of chain src",
        frozenset({"IndustryChain"}),
        frozenset({"ChainLink"}),
        props=(Prop("ord", INT64, key=True, doc="1-based position in an ordered chain"),),
        zh="包含环节",
        en="has link",
    ),
    RelSpec(
        "LACKS",
        "chain src lacks / imports item dst",
        frozenset({"IndustryChain", "IndustryCluster"}),
        frozenset({"ChainLink"}),
        zh="缺少",
        en="lacks",
    ),
    RelSpec(
        "COOPERATES_WITH",
        "src and dst cooperate (undirected)",
        ACTORS,
        ACTORS,
        undirected=True,
        zh="合作",
        en="cooperates with",
    ),
    RelSpec(
        "ORGANIZES", "src organises/hosts event dst", ACTORS, frozenset({"Event"}), zh="举办", en="organises"
    ),
    RelSpec(
        "RESPONSIBLE_FOR",
        "agency responsible for a measure (policy layer)",
        ORGS,
        frozenset({"Measure", "Indicator"}),
        optional=True,
        zh="负责",
        en="responsible for",
    ),
    RelSpec(
        "AWARDS",
        "measure grants an award or subsidy to this kind of thing (policy layer)",
        frozenset({"Measure"}),
        frozenset({"AwardKind"}),
        props=(
            Prop("amount_wan", DOUBLE, key=True, doc="amount in 万元"),
            Prop("cap", BOOL, doc="an upper limit (不超过/最高) rather than a fixed sum"),
            Prop("grant", STRING, doc="奖励 (reward) or 补助 (subsidy)"),
            Prop("role", STRING, key=True, doc="condition such as 牵头创建/参与创建; empty if none"),
        ),
        optional=True,
        zh="奖补",
        en="awards",
    ),
    RelSpec(
        "CONCERNS",
        "a named actor, structure or programme the measure's text names (policy layer)",
        frozenset({"Measure"}),
        frozenset(
            {
                "University",
                "ResearchInstitute",
                "Lab",
                "Platform",
                "Park",
                "Incubator",
                "Enterprise",
                "Event",
                "Program",
                "InnovationSystem",
                "IndustryChain",
                "IndustryCluster",
            }
        ),
        optional=True,
        zh="涉及",
        en="concerns",
    ),
    RelSpec(
        "INDICATOR_OF",
        "the figure is about this place (policy layer)",
        frozenset({"Indicator"}),
        frozenset({"Region"}),
        optional=True,
        zh="指标所属",
        en="indicator of",
    ),
    RelSpec(
        "TRACKS",
        "a reported value measured against a target of the same indicator and place (policy layer)",
        frozenset({"Indicator"}),
        frozenset({"Indicator"}),
        props=(
            Prop("status", STRING, doc="met or behind"),
            Prop("gap", DOUBLE, doc="reported minus target, in the base unit"),
        ),
        optional=True,
        zh="对照目标",
        en="tracks",
    ),
)

ENTITY_LABELS: tuple[str, ...] = tuple(n.label for n in NODES)
MENTIONED_IN_SPEC = RelSpec(
    MENTIONED_IN,
    "entity is mentioned in document (provenance)",
    frozenset(ENTITY_LABELS),
    frozenset({DOCUMENT}),
    props=(Prop("n_mentions", INT64, doc="number of mentions"),),
    zh="提及于",
    en="mentioned in",
)

# Provenance and figures rather than actors: network analysis (hubs, centrality, communities) leaves
# these nodes and relationships out, so a city is not a hub for the many figures stated about it.
NON_ACTOR_LABELS: frozenset[str] = frozenset({DOCUMENT, "Indicator", "AwardKind"})
NON_ACTOR_RELS: frozenset[str] = frozenset({MENTIONED_IN, "INDICATOR_OF", "TRACKS", "AWARDS", "CONCERNS"})

NODE_SPECS: dict[str, NodeSpec] = {n.label: n for n in (*NODES, DOCUMENT_SPEC)}
REL_SPECS: dict[str, RelSpec] = {r.type: r for r in (*RELS, MENTIONED_IN_SPEC)}
LABELS: tuple[str, ...] = tuple(NODE_SPECS)
REL_TYPES: tuple[str, ...] = tuple(REL_SPECS)
_UNNAMED = [s.label for s in NODE_SPECS.values() if not (s.zh and s.en)] + [
    s.type for s in REL_SPECS.values() if not (s.zh and s.en)
]
if _UNNAMED:  # the app shows these names instead of the codes: every label and type needs both
    raise ValueError(f"graph/schema.py: no zh/en name for {', '.join(_UNNAMED)}")


def node_props(label: str) -> tuple[Prop, ...]:
    """All properties of a label, in column order."""
    if label == DOCUMENT:
        return DOCUMENT_PROPS
    return ENTITY_PROPS + NODE_SPECS[label].props


def rel_props(rel_type: str) -> tuple[Prop, ...]:
    """All properties of a relationship type, in column order."""
    return REL_PROPS + REL_SPECS[rel_type].props


def key_props(rel_type: str) -> tuple[str, ...]:
    return tuple(p.name for p in REL_SPECS[rel_type].props if p.key)


def color(label: str) -> str:
    spec = NODE_SPECS.get(label)
    return spec.color if spec else "#000000"


COLORS: dict[str, str] = {label: spec.color for label, spec in NODE_SPECS.items()}


# --- generated artefacts ---------------------------------------------------------------------------


def _ddl_columns(props: tuple[Prop, ...]) -> str:
    return ", ".join(f"{p.name} {p.type}" for p in props)


def ladybug_ddl() -> list[str]:
    """CREATE statements for LadybugDB: one node table per label, one multi-pair rel table per type.

    Ladybug 0.22 accepts several FROM/TO pairs in one REL TABLE (checked), so each relationship type
    stays one name that presets can write as `[:SUPPORTS]`.
    """
    statements = [
        f"CREATE NODE TABLE {label}({_ddl_columns(node_props(label))}, PRIMARY KEY(id))" for label in LABELS
    ]
    for rel_type, spec in REL_SPECS.items():
        pairs = spec.patterns()
        if spec.undirected:  # stored in id order, so either label may end up as the source
            pairs = sorted(set(pairs) | {(t, s) for s, t in pairs})
        froms = ", ".join(f"FROM {s} TO {t}" for s, t in pairs)
        statements.append(f"CREATE REL TABLE {rel_type}({froms}, {_ddl_columns(rel_props(rel_type))})")
    return statements


def neo4j_schema() -> list[str]:
    """Neo4j 5 constraints and indexes: a unique id per label, an index on name."""
    statements = []
    for label in LABELS:
        statements.append(
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        )
        statements.append(f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)")
    return statements


def markdown_table() -> str:
    """The schema as markdown, for the README."""
    lines = ["| label | 中文 | what | extra properties |", "|---|---|---|---|"]
    for spec in (*NODES, DOCUMENT_SPEC):
        extra = ", ".join(f"`{p.name}` {p.type}" for p in spec.props) or ""
        if spec.label == DOCUMENT:
            extra = ", ".join(f"`{p.name}`" for p in DOCUMENT_PROPS[1:])
        note = " (optional)" if spec.optional else ""
        lines.append(f"| `{spec.label}`{note} | {spec.zh} | {spec.description} | {extra} |")
    lines.append("")
    lines.append(
        "Every entity has "
        + ", ".join(f"`{p.name}`" for p in ENTITY_PROPS)
        + "; every relationship has "
        + ", ".join(f"`{p.name}`" for p in REL_PROPS)
        + "."
    )
    lines.append("")
    lines += ["| relationship | 中文 | meaning | source → target | properties |", "|---|---|---|---|---|"]
    for spec in REL_SPECS.values():
        arrow = "—" if spec.undirected else "→"
        ends = f"{_label_set(spec.sources)} {arrow} {_label_set(spec.targets)}"
        extra = ", ".join(f"`{p.name}` {p.type}" for p in spec.props)
        note = " (optional)" if spec.optional else ""
        lines.append(f"| `{spec.type}`{note} | {spec.zh} | {spec.description} | {ends} | {extra} |")
    return "\n".join(lines) + "\n"


def _label_set(labels: frozenset[str]) -> str:
    if labels == frozenset(ENTITY_LABELS):
        return "any entity"
    return ", ".join(sorted(labels))


if __name__ == "__main__":  # `python -m graph.schema` prints the README's schema table
    print(markdown_table())
