/* kg page: draws the nodes, edges and options pyvis wrote as JSON into #kg-data with
   vis-network, and wires the search box, type/province filters and the detail panel. Every
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

  function nodeDetails(n) {
    var box = el("div");
    box.appendChild(el("h2", n.label));
    var dl = el("dl");
    field(dl, "类型 type", [typeInfo[n.type].label]);
    field(dl, "别名 aliases", n.aliases);
    field(dl, "地区 region", n.regions);
    (n.facts || []).forEach(function (f) { field(dl, f[0], [f[1]]); });
    field(dl, "提及文章 articles", n.articles);
    field(dl, "连接数 degree", [n.degree]);
    box.appendChild(dl);
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
  function refresh() {    // re-filter, and say how many nodes the filters leave on screen
    nodeView.refresh();
    shown.textContent = nodeView.length === DATA.nodes.length ? "" :
      "当前显示 " + nodeView.length + " / " + DATA.nodes.length + " 个节点 shown";
    shown.setAttribute("data-count", String(nodeView.length));
  }
  refresh();

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edges }, DATA.options);
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    document.body.setAttribute("data-ready", "1");
  });

  var info = document.getElementById("info");
  function show(box) {
    while (info.firstChild) { info.removeChild(info.firstChild); }
    info.appendChild(box);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(nodeDetails(byId[params.nodes[0]])); }
    else if (params.edges.length) { show(edgeDetails(edgeById[params.edges[0]])); }
  });

  // Legend doubles as the type filter.
  var legend = document.getElementById("legend");
  DATA.types.forEach(function (t) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = t.name;
    box.addEventListener("change", function () {
      enabledTypes[t.name] = box.checked; refresh();
    });
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

  var datalist = document.getElementById("search-labels");
  var seen = {};
  DATA.nodes.forEach(function (n) {
    [n.label].concat(n.aliases).forEach(function (name) {
      if (seen[name]) { return; }
      seen[name] = true;
      var opt = el("option");
      opt.value = name;
      datalist.appendChild(opt);
    });
  });

  function find(query) {
    var q = query.trim();
    if (!q) { return null; }
    var i, n, exact = null, partial = null;
    for (i = 0; i < DATA.nodes.length; i++) {
      n = DATA.nodes[i];
      var names = [n.label].concat(n.aliases);
      if (names.indexOf(q) >= 0) { exact = n; break; }
      if (!partial && names.some(function (x) { return x.indexOf(q) >= 0; })) { partial = n; }
    }
    return exact || partial;
  }

  function focusNode(id) {
    var n = byId[id];
    if (!n) { return false; }
    if (!visible(n)) {   // make the hit visible again
      enabledTypes[n.type] = true;
      legend.querySelector("input[value='" + n.type + "']").checked = true;
      province = ""; select.value = "";
      refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    show(nodeDetails(n));
    return true;
  }

  var status = document.getElementById("search-status");
  function search(query) {
    var n = find(query);
    status.textContent = n ? "" : "未找到 not found";
    return n ? (focusNode(n.id) && n.id) : null;
  }
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(document.getElementById("search").value);
  });

  window.network = network;
  window.kgView = { search: search, find: find, focusNode: focusNode, nodes: nodes,
                    edges: edges, nodeView: nodeView, data: DATA };
}());
