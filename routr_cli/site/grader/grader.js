// The Model Grader: `routr recommend` run in the browser, from grader/model.json.
//
// A line-by-line port of routr_cli/ranking/classifier.py (classify_with) and
// routr_cli/ranking/recommendation.py (recommend, no constraints), over the same data:
// the classifier model and the standings with their bootstrap draws. Every sum runs in
// the order the Python runs it and numbers are formatted the way Python formats them,
// so the answer is the one `routr recommend --json` gives (tests/site checks it on many
// texts). Vanilla JavaScript, no dependencies; the page works without it.
(function () {
  "use strict";

  var ALL = "all";
  var LANGUAGE_PREFIX = "language:";
  var TOKEN = /[A-Za-z0-9+#]+/g;

  function round6(x) {
    return Math.floor(x * 1000000 + 0.5) / 1000000;
  }

  function byCode(a, b) {
    // Python's string order (code points); every key here is ASCII.
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sortedKeys(obj) {
    return Object.keys(obj).sort(byCode);
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  // ---- classifier --------------------------------------------------------------

  function knownTerms(model) {
    var known = Object.create(null);
    Object.keys(model.idf).forEach(function (t) { known[t] = true; });
    [model.categories, model.languages].forEach(function (tables) {
      Object.keys(tables).forEach(function (name) {
        Object.keys(tables[name]).forEach(function (t) { known[t] = true; });
      });
    });
    return known;
  }

  function tokenize(model, text) {
    if (!model._known) {
      Object.defineProperty(model, "_known", { value: knownTerms(model), enumerable: false });
    }
    var out = [];
    var raw = text.match(TOKEN) || [];
    for (var i = 0; i < raw.length; i++) {
      var token = raw[i].toLowerCase();
      if (has(model.synonyms, token)) {
        token = model.synonyms[token];
      } else if (token.length > 3 && token.charAt(token.length - 1) === "s" &&
                 model._known[token.slice(0, -1)]) {
        token = token.slice(0, -1);
      }
      out.push(token);
    }
    return out;
  }

  function termsOf(tokens) {
    var seen = Object.create(null);
    var list = [];
    function add(t) { if (!seen[t]) { seen[t] = true; list.push(t); } }
    tokens.forEach(add);
    for (var i = 0; i + 1 < tokens.length; i++) add(tokens[i] + "_" + tokens[i + 1]);
    return list.sort(byCode);
  }

  function lexicon(table, terms) {
    var out = {};
    sortedKeys(table).forEach(function (name) {
      var weights = table[name];
      var total = 0.0;
      var hits = [];
      terms.forEach(function (term) {
        if (has(weights, term)) { total += weights[term]; hits.push(term); }
      });
      out[name] = [total, hits];
    });
    return out;
  }

  function vectorOf(model, tokens) {
    var counts = {};
    tokens.forEach(function (t) {
      if (has(model.idf, t)) counts[t] = (has(counts, t) ? counts[t] : 0.0) + 1.0;
    });
    var vector = {};
    sortedKeys(counts).forEach(function (t) { vector[t] = counts[t] * model.idf[t]; });
    return vector;
  }

  function norm(vector) {
    var total = 0.0;
    sortedKeys(vector).forEach(function (t) { total += vector[t] * vector[t]; });
    return Math.sqrt(total);
  }

  function cosine(query, qnorm, example) {
    if (qnorm === 0 || example.norm === 0) return 0.0;
    var dot = 0.0;
    sortedKeys(query).forEach(function (t) {
      if (has(example.vector, t)) dot += query[t] * example.vector[t];
    });
    return dot / (qnorm * example.norm);
  }

  function shapes(model, text) {
    var out = {};
    var order = [];
    model.shapes.forEach(function (shape) {
      var found = text.match(new RegExp(shape.pattern, "g")) || [];
      var unique = Array.from(new Set(found)).sort(byCode);
      if (!unique.length) return;
      var count = Math.min(unique.length, shape.cap);
      if (!has(out, shape.language)) { out[shape.language] = [0.0, []]; order.push(shape.language); }
      var prev = out[shape.language];
      out[shape.language] = [prev[0] + shape.weight * count,
                             prev[1].concat(unique.slice(0, shape.cap))];
    });
    return { table: out, order: order };
  }

  function language(model, text, terms) {
    var table = lexicon(model.languages, terms);
    var found = shapes(model, text);
    found.order.forEach(function (name) {
      var extra = found.table[name];
      var prev = has(table, name) ? table[name] : [0.0, []];
      table[name] = [prev[0] + extra[0], prev[1].concat(extra[1])];
    });
    var ranked = Object.keys(table).sort(function (a, b) {
      return table[b][0] - table[a][0] || byCode(a, b);
    });
    if (ranked.length && table[ranked[0]][0] >= model.params.language_min) {
      return [ranked[0], table[ranked[0]][1]];
    }
    return [null, []];
  }

  function classifyWith(model, text) {
    var params = model.params;
    var tokens = tokenize(model, text);
    var terms = termsOf(tokens);
    var query = vectorOf(model, tokens);
    var qnorm = norm(query);
    var sims = model.examples.map(function (ex) {
      return [round6(cosine(query, qnorm, ex)), ex.id, ex];
    });
    sims.sort(function (x, y) { return y[0] - x[0] || byCode(x[1], y[1]); });
    var bestSim = {};
    sims.forEach(function (s) { if (!has(bestSim, s[2].category)) bestSim[s[2].category] = s[0]; });
    var lex = lexicon(model.categories, terms);
    var scores = {};
    var top = 0.0;
    var names = sortedKeys(model.categories);
    names.forEach(function (name) {
      var sim = has(bestSim, name) ? bestSim[name] : 0.0;
      scores[name] = round6(lex[name][0] + params.similarity_weight * sim);
    });
    if (names.length) top = Math.max.apply(null, names.map(function (n) { return scores[n]; }));
    var kept = names.filter(function (n) {
      return top >= params.min_score && scores[n] >= params.keep_ratio * top;
    }).sort(function (a, b) { return scores[b] - scores[a] || byCode(a, b); });
    var total = 0;
    kept.forEach(function (n) { total += scores[n]; });
    var categories = [];
    var evidence = [];
    kept.forEach(function (n) {
      categories.push([n, round6(scores[n] / total)]);
      var words = lex[n][1].slice();
      sims.slice(0, 3).forEach(function (s) {
        if (s[0] > 0 && s[2].category === n) words.push("similar to task " + s[1]);
      });
      evidence.push([n, words]);
    });
    var lang = language(model, text, terms);
    if (lang[0] !== null) {
      var at = evidence.findIndex(function (e) { return e[0] === lang[0]; });
      if (at >= 0) evidence[at][1] = lang[1]; else evidence.push([lang[0], lang[1]]);
    }
    return { categories: categories, language: lang[0], evidence: evidence };
  }

  // ---- Python number formatting -------------------------------------------------

  // Python's f"{x:.{d}f}": round half to even on the exact binary value. toFixed rounds
  // ties away from zero, so ties are found on the exact decimal expansion (toFixed(100)
  // is exact for the magnitudes shown here) and settled here.
  function pyFixed(x, d) {
    if (Number.isNaN(x)) return "nan";
    var neg = x < 0 || Object.is(x, -0);
    var exact = Math.abs(x).toFixed(100);
    var dot = exact.indexOf(".");
    var digits = exact.slice(0, dot) + exact.slice(dot + 1, dot + 1 + d);
    var rest = exact.slice(dot + 1 + d);
    var up = false;
    if (rest.charAt(0) > "5") up = true;
    else if (rest.charAt(0) === "5") {
      up = /[1-9]/.test(rest.slice(1)) || Number(digits.charAt(digits.length - 1)) % 2 === 1;
    }
    var n = BigInt(digits) + (up ? 1n : 0n);
    var s = n.toString().padStart(d + 1, "0");
    var text = d > 0 ? s.slice(0, s.length - d) + "." + s.slice(s.length - d) : s;
    return (neg ? "-" : "") + text;
  }

  function pct(x) {
    return x === null || x === undefined || Number.isNaN(x) ? "-" : pyFixed(x * 100, 0) + "%";
  }

  // ---- recommend -----------------------------------------------------------------

  function percentile(column, q) {
    // numpy.percentile(method="linear") on one column, exactly as numpy computes it.
    if (column.some(Number.isNaN)) return NaN;
    var sorted = column.slice().sort(function (a, b) { return a - b; });
    var n = sorted.length;
    var vi = (n - 1) * (q / 100);
    var prev = Math.floor(vi);
    if (vi >= n - 1) return sorted[n - 1];
    if (vi < 0) return sorted[0];
    var a = sorted[prev];
    var b = sorted[prev + 1];
    var gamma = vi - prev;
    var diff = b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  }

  function defaultSolver(data) {
    var names = Array.from(new Set(data.standings.map(function (s) { return s.solver; }))).sort(byCode);
    if (!names.length) return null;
    return names.indexOf("edit") >= 0 ? "edit" : names[0];
  }

  function rowFor(data, model, category, solver) {
    for (var i = 0; i < data.standings.length; i++) {
      var s = data.standings[i];
      if (s.model === model && s.category === category && s.solver === solver) return s;
    }
    return null;
  }

  function column(slice, model) {
    var k = slice.models.indexOf(model);
    return k < 0 ? null : slice.columns[k];
  }

  function prepare(data) {
    // JSON has no NaN: the build writes null where a draw is NaN; numbers again here.
    if (data._prepared) return data;
    Object.keys(data.draws || {}).forEach(function (solver) {
      Object.keys(data.draws[solver]).forEach(function (category) {
        var slice = data.draws[solver][category];
        slice.columns = slice.columns.map(function (col) {
          return col.map(function (v) { return v === null ? NaN : v; });
        });
      });
    });
    Object.defineProperty(data, "_prepared", { value: true, enumerable: false });
    return data;
  }

  function recommend(data, text, top) {
    top = top || 3;
    prepare(data);
    var found = classifyWith(data.classifier, text);
    var lang = found.language;
    var name = defaultSolver(data);
    var draws = (data.draws || {})[name] || {};
    var notes = [];
    var evidenceObj = {};
    found.evidence.forEach(function (e) { evidenceObj[e[0]] = e[1]; });
    var catsJson = found.categories.map(function (c) { return { category: c[0], weight: c[1] }; });
    var weights = found.categories.filter(function (c) { return has(draws, c[0]); })
      .map(function (c) { return [c[0], c[1]]; });
    var missing = found.categories.filter(function (c) { return !has(draws, c[0]); })
      .map(function (c) { return c[0]; });
    if (missing.length) notes.push("no " + name + " data for " + missing.join(", "));
    var fallback = weights.length === 0;
    if (fallback) {
      weights = [[ALL, 1.0]];
      var why = found.categories.length ? "no data for the matched categories" : "no category matched";
      notes.push(why + ": ranked on overall standings");
    }
    var langSlice = lang ? LANGUAGE_PREFIX + lang : null;
    if (lang && has(draws, langSlice)) {
      notes.push("language " + lang + ": each pick's pass rate on " + lang +
                 " tasks is shown; the score uses the categories");
    } else if (lang) {
      notes.push("language " + lang + ": no " + lang + " tasks in these standings");
    }
    var total = 0;
    weights.forEach(function (w) { total += w[1]; });
    weights = weights.map(function (w) { return [w[0], w[1] / total]; });
    var overall = {};
    data.standings.forEach(function (s) {
      if (s.category === ALL && s.solver === name) overall[s.model] = s;
    });
    var eligible = [];
    var excluded = [];
    sortedKeys(overall).forEach(function (m) {
      if (overall[m].pass_rate === null) excluded.push({ model: m, reason: "no graded attempts" });
      else eligible.push(m);
    });
    var result = {
      categories: catsJson, language: lang, recommendations: [], fallback: fallback,
      solver: name, evidence: evidenceObj, excluded: excluded, notes: notes
    };
    if (!eligible.length) return result;
    var models = eligible.slice().sort(byCode);
    var all = draws[ALL];
    var nDraws = all.columns[0].length;
    var out = models.map(function () { return new Float64Array(nDraws); });
    var points = models.map(function () { return 0.0; });
    var nTasks = models.map(function () { return 0; });
    var usedOverall = models.map(function () { return []; });
    weights.forEach(function (pair) {
      var category = pair[0], w = pair[1];
      models.forEach(function (model, i) {
        var col = column(draws[category], model);
        var st;
        if (col) {
          st = rowFor(data, model, category, name);
        } else {
          col = column(all, model);
          st = rowFor(data, model, ALL, name);
          usedOverall[i].push(category);
        }
        for (var d = 0; d < nDraws; d++) out[i][d] += w * col[d];
        points[i] += w * (st.pass_rate || 0.0);
        nTasks[i] += st.n_tasks;
      });
    });
    var order = models.map(function (_, i) { return i; })
      .sort(function (x, y) { return points[y] - points[x] || byCode(models[x], models[y]); });
    var pTop3 = models.map(function (_, i) {
      var hits = 0;
      for (var d = 0; d < nDraws; d++) {
        var better = 0;
        for (var j = 0; j < models.length; j++) if (out[j][d] > out[i][d]) better++;
        if (1 + better <= 3) hits++;
      }
      return hits / nDraws;
    });
    var first = order[0];
    order.slice(0, top).forEach(function (i) {
      var s = overall[models[i]];
      var lead = 0.0;
      if (i !== first) {
        var wins = 0;
        for (var d = 0; d < nDraws; d++) if (out[first][d] > out[i][d]) wins++;
        lead = wins / nDraws;
      }
      var tied = i === first || lead < data.significance;
      var columnI = Array.from(out[i]);
      var cost = weightedCost(data, name, weights, models[i]);
      if (!cost) cost = s.cost_per_solved;
      var pick = {
        model: models[i], score: points[i], pass_rate: points[i],
        ci_low: percentile(columnI, 2.5), ci_high: percentile(columnI, 97.5),
        n_tasks: nTasks[i], cost_per_solved: cost, latency_p50_s: s.latency_p50_s,
        p_top3: pTop3[i], tied_with_first: Boolean(tied && i !== first),
        simulated: s.simulated, reasons: []
      };
      pick.reasons = reasons(data, pick, weights, fallback, usedOverall[i], name, langSlice);
      result.recommendations.push(pick);
    });
    return result;
  }

  function weightedCost(data, solver, weights, model) {
    var total = 0.0;
    for (var k = 0; k < weights.length; k++) {
      var s = rowFor(data, model, weights[k][0], solver);
      if (!s || s.cost_per_solved === null) return null;
      total += weights[k][1] * s.cost_per_solved;
    }
    return total;
  }

  function plural(count, word) {
    return count + " " + (count === 1 ? word : word + "s");
  }

  function reasons(data, pick, weights, fallback, usedOverall, solver, langSlice) {
    var out = [];
    weights.forEach(function (pair) {
      var category = pair[0];
      var target = usedOverall.indexOf(category) >= 0 ? ALL : category;
      var s = rowFor(data, pick.model, target, solver);
      if (!s) return;
      var where = target === ALL ? "overall" : "in " + category;
      if (fallback) where += " (fallback: no data for the matched category)";
      else if (usedOverall.indexOf(category) >= 0) where = "overall (no " + category + " data)";
      out.push("pass rate " + pct(s.pass_rate) + " [" + pct(s.ci_low) + "-" + pct(s.ci_high) + "] " +
               where + ", n=" + plural(s.n_tasks, "task") + " x " + plural(s.epochs, "epoch"));
    });
    var onLang = langSlice === null ? null : rowFor(data, pick.model, langSlice, solver);
    if (onLang && onLang.pass_rate !== null) {
      out.push("pass rate " + pct(onLang.pass_rate) + " [" + pct(onLang.ci_low) + "-" +
               pct(onLang.ci_high) + "] on " + onLang.category.slice(LANGUAGE_PREFIX.length) +
               " tasks, n=" + plural(onLang.n_tasks, "task"));
    }
    if (pick.cost_per_solved !== null) out.push("cost per solved $" + pyFixed(pick.cost_per_solved, 4));
    if (pick.latency_p50_s !== null) out.push("median latency " + pyFixed(pick.latency_p50_s, 1) + " s");
    out.push("P(top-3) " + pct(pick.p_top3));
    if (pick.tied_with_first) out.push("statistically tied with #1");
    if (pick.simulated) out.push("(simulated)");
    return out;
  }

  // ---- the page ------------------------------------------------------------------

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function show(data, answer, nodes) {
    var cats = answer.categories.map(function (c) {
      return c.category + " " + pyFixed(c.weight * 100, 0) + "%";
    }).join(", ") || "no category matched";
    nodes.match.textContent = "Matched: " + cats + "; language: " + (answer.language || "not detected") + ".";
    nodes.top.replaceChildren();
    if (!answer.recommendations.length) nodes.top.appendChild(el("li", "No model has graded attempts yet."));
    answer.recommendations.forEach(function (pick) {
      var item = el("li");
      item.setAttribute("data-model", pick.model);
      var link = el("a", data.labels[pick.model] || pick.model);
      link.href = "../models/" + encodeURIComponent(data.slugs[pick.model]) + "/";
      var head = el("p");
      head.appendChild(link);
      head.appendChild(document.createTextNode(
        " — " + pct(pick.pass_rate) + " expected on tasks like this (95% interval " +
        pct(pick.ci_low) + "–" + pct(pick.ci_high) + ", n=" + pick.n_tasks + " tasks)" +
        (pick.tied_with_first ? ", statistically tied with #1" : "")));
      item.appendChild(head);
      var list = el("ul");
      pick.reasons.forEach(function (r) { list.appendChild(el("li", r)); });
      item.appendChild(list);
      nodes.top.appendChild(item);
    });
    nodes.out.hidden = false;
  }

  function start() {
    var form = document.getElementById("grader");
    if (!form) return;
    var nodes = {
      text: document.getElementById("grader-text"),
      out: document.getElementById("grader-out"),
      match: document.getElementById("grader-match"),
      top: document.getElementById("grader-top")
    };
    var loading = null;
    function data() {
      if (!loading) {
        loading = fetch(form.getAttribute("data-model")).then(function (r) {
          if (!r.ok) throw new Error("grader data: HTTP " + r.status);
          return r.json();
        });
      }
      return loading;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = nodes.text.value;
      if (!text.trim()) { nodes.text.focus(); return; }
      data().then(function (d) { show(d, recommend(d, text, 3), nodes); }, function (err) {
        nodes.match.textContent = "The grader's data could not be loaded (" + err.message + ").";
        nodes.out.hidden = false;
      });
    });
    form.hidden = false;
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { classifyWith: classifyWith, recommend: recommend, pyFixed: pyFixed,
                       percentile: percentile };
  }
})();
