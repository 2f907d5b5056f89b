/* kg page: draws the nodes, edges and options pyvis wrote as JSON into #kg-data with
   vis-network, and wires the search box (over the drawn nodes, then the search index of the
   entities not drawn, which it can add to the view), the type/province filters, the figures
   toggle (figures start hidden), the labels (the best-connected entities are labelled at the
   first zoom, the others when zoomed in or hovered) and the detail panel, which a filter that
   hides what it shows clears. Every
   string from the data goes into the DOM through textContent or option.text (vis-network puts
   string titles in with innerText), never parsed as HTML, so article text cannot become markup.
   Exposes window.network and window.kgView for browser tests. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var typeInfo = {};
  DATA.types.forEach(function (t) {
    t.color = DATA.options.groups[t.name].color.background;
    typeInfo[t.name] = t;
  });
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function field(dl, name, values) {
    if (!values || values.length === 0) { return; }
    dl.appendChild(el("dt", name));
    values.forEach(function (v) { dl.appendChild(el("dd", v)); });
  }

  function quotes(parent, evidence, withPattern) {
    evidence.forEach(function (ev) {
      if (ev[0]) { parent.appendChild(el("blockquote", ev[0])); }
      var src = ev[1] ? "《" + ev[1] + "》" : "";
      if (withPattern && ev[2]) { src += (src ? " · " : "") + "pattern: " + ev[2]; }
      if (src) { parent.appendChild(el("div", src, "src")); }
    });
  }

  var INDEX = DATA.index;
  function queryCommand(name, param, value) {   // a shell command line; value single-quoted
    return "kg query " + name + " --param " + param + "='" + String(value).replace(/'/g, "'\\''") + "'";
  }

  function nodeDetails(n) {
    var box = el("div");
    box.appendChild(el("h2", n.label));
    var dl = el("dl");
    field(dl, "类型 type", [typeInfo[n.type].label]);
    field(dl, "别名 aliases", n.aliases);
    field(dl, "地区 region", n.regions);
    (n.facts || []).forEach(function (f) { field(dl, f[0], [f[1]]); });
    field(dl, "提及文章 articles", n.articles);
    if (n.articleCount && n.articleCount > n.articles.length) {
      field(dl, "", ["… 共 " + n.articleCount + " 篇 articles: " +
                     queryCommand("articles-mentioning", "entity", n.label)]);
    }
    field(dl, "连接数 degree", [n.degree]);
    box.appendChild(dl);
    if (n.fromIndex) {
      box.appendChild(el("div", "来自搜索索引 from the search index: 本页只画出它与已画节点的 " +
        n.shownEdges + " 条连接 (共 " + n.degree + " 条); 详情 details: " +
        queryCommand("articles-mentioning", "entity", n.label), "src"));
    }
    if (n.evidence.length) {
      box.appendChild(el("h3", "证据 evidence"));
      quotes(box, n.evidence, false);
    }
    return box;
  }

  function edgeDetails(e) {
    var box = el("div");
    var from = byId[e.from], to = byId[e.to];
    box.appendChild(el("h2",
      from.label + " —" + e.label + (e.arrows.to.enabled ? "→ " : "— ") + to.label));
    if (e.roles) { box.appendChild(el("div", "任职 memberOf · 职务 role: " + e.roles.join("、"), "src")); }
    if (e.evidence.length) {
      quotes(box, e.evidence, true);
      if (e.evidenceCount) { box.appendChild(el("div", "… 共 " + e.evidenceCount + " 句 sentences", "src")); }
    } else {
      box.appendChild(el("div", "(no evidence recorded)", "src"));
    }
    return box;
  }

  // pyvis's nodes and edges carry vis-network's attributes (label, shape, group, size, title,
  // arrows) next to kg's fields (type, aliases, evidence...), which vis-network ignores.
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);

  var enabledTypes = {};
  DATA.types.forEach(function (t) { enabledTypes[t.name] = true; });
  var province = "";
  function visible(item) {
    if (!enabledTypes[item.type]) { return false; }
    return !province || byId[item.id].provinces.indexOf(province) >= 0;
  }
  var nodeView = new vis.DataView(nodes, { filter: visible });
  var shown = document.getElementById("shown");

  var info = document.getElementById("info");
  var hint = info.firstElementChild;
  var current = null;       // what the panel shows: {node: id} or {edge: id}
  function show(box, what) {
    while (info.firstChild) { info.removeChild(info.firstChild); }
    info.appendChild(box);
    current = what;
    info.setAttribute("data-shows", what ? (what.node || what.edge) : "");
  }
  function clearPanel() {
    show(hint, null);
  }
  function panelStillShown() {   // false when a filter has hidden what the panel shows
    if (!current) { return true; }
    if (current.node) { return nodeView.get(current.node) !== null; }
    var e = edgeById[current.edge];
    return nodeView.get(e.from) !== null && nodeView.get(e.to) !== null;
  }

  function refresh() {    // re-filter, and say how many nodes the filters leave on screen
    nodeView.refresh();
    var total = nodes.length;
    shown.textContent = nodeView.length === total ? "" :
      "当前显示 " + nodeView.length + " / " + total + " 个节点 shown";
    shown.setAttribute("data-count", String(nodeView.length));
    if (!panelStillShown()) {
      if (typeof network !== "undefined") { network.unselectAll(); }
      clearPanel();
    }
  }
  refresh();

  // Legend doubles as the type filter.
  var legend = document.getElementById("legend");
  DATA.types.forEach(function (t) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = t.name;
    box.addEventListener("change", function () { setType(t.name, box.checked); });
    var sw = el("span", null, "swatch");
    sw.style.background = t.color;
    label.appendChild(box); label.appendChild(sw); label.appendChild(el("span", t.label));
    legend.appendChild(label);
  });

  var select = document.getElementById("province");
  DATA.provinces.forEach(function (p) {
    var opt = el("option", p[1]);
    opt.value = p[0];
    select.appendChild(opt);
  });
  select.addEventListener("change", function () { province = select.value; refresh(); });

  // Figures start hidden; the header's toggle and the legend's Indicator box show them.
  var figures = document.getElementById("show-figures");
  var nFigures = DATA.nodes.filter(function (n) { return n.type === "Indicator"; }).length;
  document.getElementById("figures-label").textContent = "显示指标 show figures (" + nFigures + ")";
  function setType(name, on) {
    enabledTypes[name] = on;
    legend.querySelector("input[value='" + name + "']").checked = on;
    if (name === "Indicator") { figures.checked = on; }
    refresh();
  }
  figures.addEventListener("change", function () { setType("Indicator", figures.checked); });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edges }, DATA.options);

  // Labels: vis-network draws a label when its font size times the zoom reaches
  // scaling.label.drawThreshold - 1 px. The best-connected entities get, at every zoom, a font
  // that reads as LABEL_PX on screen (never below the base size); the others keep the base size,
  // so they appear when zoomed in, or on hover (hoverNode below).
  var LABEL_PX = 13;
  var threshold = DATA.options.nodes.scaling.label.drawThreshold - 1;
  function baseFont(n) { return n.font && n.font.size ? n.font.size : DATA.options.nodes.font.size; }
  function readable() { return Math.ceil(LABEL_PX / network.getScale()); }
  function labelShown(id) {
    var n = nodes.get(id);
    return nodeView.get(id) !== null && baseFont(n) * network.getScale() >= threshold;
  }
  var labelledAt = null;    // the zoom the top labels were sized for
  function labelTop() {
    var size = readable();
    labelledAt = network.getScale();
    nodes.update(DATA.labelled.map(function (id) {
      return { id: id, font: { size: Math.max(size, baseFont(byId[id])) } };
    }));
  }
  network.on("beforeDrawing", function () {     // any zoom: wheel, focus, fit, moveTo
    if (labelledAt !== null && network.getScale() !== labelledAt) { labelTop(); }
  });
  var hovered = null;
  network.on("hoverNode", function (p) {
    var n = nodes.get(p.node);
    if (baseFont(n) * network.getScale() < threshold) {
      hovered = { id: p.node, size: baseFont(n) };
      nodes.update({ id: p.node, font: { size: readable() } });
    }
  });
  network.on("blurNode", function (p) {
    if (hovered && hovered.id === p.node) {
      nodes.update({ id: hovered.id, font: { size: hovered.size } });
      hovered = null;
    }
  });

  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    // keep every position in the data, so nodes a filter hides come back where they were
    var pos = network.getPositions();
    nodes.update(Object.keys(pos).map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
    labelTop();
    setType("Indicator", false);
    document.body.setAttribute("data-ready", "1");
  });

  network.on("click", function (params) {
    if (params.nodes.length) { show(nodeDetails(byId[params.nodes[0]]), { node: params.nodes[0] }); }
    else if (params.edges.length) { show(edgeDetails(edgeById[params.edges[0]]), { edge: params.edges[0] }); }
  });

  var datalist = document.getElementById("search-labels");
  var seen = {};
  function suggest(name) {
    if (seen[name]) { return; }
    seen[name] = true;
    var opt = el("option");
    opt.value = name;
    datalist.appendChild(opt);
  }
  DATA.nodes.forEach(function (n) { [n.label].concat(n.aliases).forEach(suggest); });
  INDEX.rows.slice(0, 5000).forEach(function (r) { suggest(r[0]); });

  function rowNames(r) { return [r[0]].concat(r[5] || []); }
  function find(query) {    // a drawn node, else an index row; exact names before parts
    var q = query.trim();
    if (!q) { return null; }
    var i, n, exact = null, partial = null;
    for (i = 0; i < DATA.nodes.length; i++) {
      n = DATA.nodes[i];
      var names = [n.label].concat(n.aliases);
      if (names.indexOf(q) >= 0) { exact = n; break; }
      if (!partial && names.some(function (x) { return x.indexOf(q) >= 0; })) { partial = n; }
    }
    if (exact) { return exact; }
    for (i = 0; i < INDEX.rows.length; i++) {
      if (rowNames(INDEX.rows[i]).indexOf(q) >= 0) { return { row: i }; }
    }
    if (partial) { return partial; }
    for (i = 0; i < INDEX.rows.length; i++) {
      if (rowNames(INDEX.rows[i]).some(function (x) { return x.indexOf(q) >= 0; })) { return { row: i }; }
    }
    return null;
  }

  function rowId(r) { return /^[a-z][a-z0-9+.-]*:/i.test(r[4]) ? r[4] : INDEX.base + r[4]; }
  function addFromIndex(i) {    // draw an index row and its edges to drawn nodes; its id
    var r = INDEX.rows[i], id = rowId(r);
    if (byId[id]) { return id; }
    var type = INDEX.types[r[1]];
    var n = { id: id, label: r[0], type: type, group: type, shape: DATA.shapes[type], size: 12,
              aliases: r[5] || [], regions: [], provinces: [], articles: [], articleCount: r[3],
              degree: r[2], evidence: [], fromIndex: true, shownEdges: (r[6] || []).length,
              title: r[0] + "\n类型 type: " + typeInfo[type].label + "\n(来自搜索索引 from the search index)" };
    var first = (r[6] || [])[0];
    var at = first ? network.getPositions([DATA.nodes[first[0]].id])[DATA.nodes[first[0]].id] : null;
    if (!at) { at = network.getViewPosition(); }
    n.x = at.x + 60; n.y = at.y + 40;
    byId[id] = n;
    nodes.add(n);
    (r[6] || []).forEach(function (e, k) {
      var other = DATA.nodes[e[0]].id, rel = INDEX.relations[e[1]];
      var item = { id: "x" + i + "-" + k, from: e[2] ? id : other, to: e[2] ? other : id,
                   label: rel, evidence: [], fromIndex: true,
                   arrows: { to: { enabled: rel !== "pairedWith", scaleFactor: 0.5 } } };
      item.title = byId[item.from].label + " —" + rel + "→ " + byId[item.to].label;
      edgeById[item.id] = item;
      edges.add(item);
    });
    return id;
  }

  function focusNode(id) {
    var n = byId[id];
    if (!n) { return false; }
    if (!visible(n)) {   // make the hit visible again
      province = ""; select.value = "";
      setType(n.type, true);
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    show(nodeDetails(n), { node: id });
    return true;
  }

  var status = document.getElementById("search-status");
  function search(query) {
    var hit = find(query);
    if (!hit) {
      status.textContent = INDEX.complete ? "未找到 not found" :
        "未找到 not found — 本页可搜索 " + (INDEX.drawn + INDEX.rows.length) + " / " + INDEX.total +
        " 个实体; 其余 the rest: " + queryCommand("entity-labels", "label", query.trim());
      return null;
    }
    var id = hit.row === undefined ? hit.id : addFromIndex(hit.row);
    status.textContent = hit.row === undefined ? "" : "已从搜索索引加入 added from the search index";
    return focusNode(id) && id;
  }
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(document.getElementById("search").value);
  });

  window.network = network;
  window.kgView = { search: search, find: find, focusNode: focusNode, nodes: nodes,
                    edges: edges, nodeView: nodeView, data: DATA, labelShown: labelShown,
                    setType: setType, addFromIndex: addFromIndex };
}());
