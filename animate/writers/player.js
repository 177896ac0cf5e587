/* The explorable page's player: draws a recorded run from its numbers, on one clock for every panel.
 *
 * The page carries, deflated and base64-coded in a script element of type application/octet-stream, a
 * header (JSON: the views, each with its SVG layers, moving artists, shadings, texts and steps) and the
 * binary arrays it points into (polyline coordinates as int32 hundredths of a point, shading grids as
 * bytes). Nothing is fetched: DecompressionStream inflates it in the page.
 *
 * Layers, bottom to top, as a frame of the GIF composes them: background SVG, shading canvas, moving
 * artists under the overlay, the overlay SVG, moving artists above it, the changing text.
 */
(function () {
  "use strict";
  const SVGNS = "http://www.w3.org/2000/svg";
  const BREAK = -2147483648;
  const OVERLAY_ZORDER = 5;
  const SPEEDS = [0.25, 0.5, 1, 2, 4];
  const REGIONS_MOST = 360;  // a regions shading's canvas, most pixels a side (drawn within a frame)

  async function inflate(base64) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function unpack(bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
    const base = 4 + headerLength;
    const arrays = {};
    for (const [name, spec] of Object.entries(header.arrays)) {
      const start = base + spec.offset;
      const copy = bytes.slice(start, start + spec.bytes); // aligned for typed views
      arrays[name] = spec.type === "int32" ? new Int32Array(copy.buffer) : new Uint8Array(copy.buffer);
    }
    return { header, arrays };
  }

  function el(name, attributes, parent) {
    const node = document.createElementNS(SVGNS, name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  function layerSvg(view, className) {
    return el("svg", { viewBox: `0 0 ${view.width} ${view.height}`, class: `layer ${className}`,
                       preserveAspectRatio: "xMinYMin meet", "aria-hidden": "true" });
  }

  function fromMatplotlib(markup, className) {
    const holder = document.createElement("div");
    holder.innerHTML = markup;
    const svg = holder.querySelector("svg");
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("class", `layer ${className}`);
    svg.setAttribute("aria-hidden", "true");
    return svg;
  }

  /* One view (a run, or every run side by side): its layers in a stage, and draw(frame). */
  class View {
    constructor(player, spec, coordinates, grids) {
      this.spec = spec;
      this.coordinates = coordinates;
      this.stage = document.createElement("div");
      this.stage.className = "stage";
      this.stage.style.aspectRatio = `${spec.width} / ${spec.height}`;
      this.stage.appendChild(fromMatplotlib(spec.background, "background"));
      this.shadings = spec.shadings.map((shading) => this.makeShading(shading, grids[shading.array]));
      const below = layerSvg(spec, "below");
      this.stage.appendChild(below);
      this.others = el("g", { class: "overlaid-runs" }, below);
      if (spec.main) {
        const clip = el("clipPath", { id: `clip-${player.id}-${spec.name}-main` }, below);
        const [x, y, w, h] = spec.main.box;
        el("rect", { x, y, width: w, height: h }, clip);
        this.others.setAttribute("clip-path", `url(#clip-${player.id}-${spec.name}-main)`);
      }
      this.stage.appendChild(fromMatplotlib(spec.overlay, "overlay"));
      const above = layerSvg(spec, "above");
      this.stage.appendChild(above);
      this.artists = spec.artists.map((artist, number) =>
        this.makeArtist(artist, artist.zorder < OVERLAY_ZORDER ? below : above, `${player.id}-${spec.name}-${number}`));
      this.texts = spec.texts.map((text) => this.makeText(text, above));
      this.shown = -1;
    }

    makeShading(shading, values) {
      const canvas = document.createElement("canvas");
      canvas.className = "shading";
      const { width, height } = this.spec;
      Object.assign(canvas.style, { left: `${100 * shading.left / width}%`, top: `${100 * shading.top / height}%`,
                                    width: `${100 * shading.width / width}%`, height: `${100 * shading.height / height}%` });
      this.stage.appendChild(canvas);
      return { spec: shading, canvas, values, size: [0, 0] };
    }

    makeArtist(artist, svg, id) {
      const group = el("g", { "data-artist": artist.key }, svg);
      if (artist.clip) {
        const clip = el("clipPath", { id: `clip-${id}` }, svg);
        const [x, y, w, h] = artist.clip;
        el("rect", { x, y, width: w, height: h }, clip);
        group.setAttribute("clip-path", `url(#clip-${id})`);
      }
      if (artist.alpha !== null && artist.alpha !== undefined) group.setAttribute("opacity", artist.alpha);
      const path = artist.width > 0 && artist.colour ? el("path", {
        fill: "none", stroke: artist.colour, "stroke-width": artist.width, "stroke-linecap": artist.cap || "butt",
        "stroke-linejoin": "round", class: "moving-line" }, group) : null;
      if (path && artist.dashes) path.setAttribute("stroke-dasharray", artist.dashes.join(" "));
      const markers = artist.marker ? el("g", { class: "moving-markers", fill: artist.markerFace || "none" }, group) : null;
      return { spec: artist, group, path, markers };
    }

    makeText(text, svg) {
      const group = el("g", { class: "moving-text", fill: text.colour, "font-size": text.size,
                               "font-family": text.family, "font-weight": text.weight }, svg);
      if (text.align === "right") group.setAttribute("text-anchor", "end");
      return { spec: text, group, shown: null };
    }

    polylines(spans) {
      const out = [];
      const data = this.coordinates;
      for (const [start, count] of spans) {
        let pieces = [], piece = [], x = 0, y = 0, absolute = true;
        for (let i = 0; i < count; i++) {
          const dx = data[2 * (start + i)], dy = data[2 * (start + i) + 1];
          if (dx === BREAK) { if (piece.length) pieces.push(piece); piece = []; absolute = true; continue; }
          if (absolute) { x = dx; y = dy; absolute = false; } else { x += dx; y += dy; }
          piece.push([x / 100, y / 100]);
        }
        if (piece.length) pieces.push(piece);
        out.push(...pieces);
      }
      return out;
    }

    draw(frame, overlaid) {
      this.shown = frame;
      for (const artist of this.artists) this.drawArtist(artist, artist.spec.frames[frame]);
      this.drawOthers(overlaid || []);
      for (const shading of this.shadings) this.paint(shading, frame);
      for (const text of this.texts) this.drawText(text, frame);
    }

    /* Other runs' fits in this run's plot: ``overlaid`` holds [view, its frame at this step]. Each point goes
     * from the other plot's points to its data (through that plot's box and limits) and into this plot. */
    drawOthers(overlaid) {
      while (this.others.firstChild) this.others.firstChild.remove();
      const here = this.spec.main;
      if (!here) return;
      // Overlaid, every run is in its own colour, this one too (alone, its fit keeps the picture's colour).
      const own = here.fit !== null && here.fit !== undefined ? this.artists[here.fit] : null;
      if (own && this.spec.colour) {  // the fit and what shares its colour (the loss curve and its point)
        const recolour = overlaid.length > 0;
        for (const artist of this.artists) {
          if (artist.spec.colour !== own.spec.colour) continue;
          if (artist.path) artist.path.setAttribute("stroke", recolour ? this.spec.colour : artist.spec.colour);
          if (artist.markers) artist.markers.setAttribute("fill", recolour ? this.spec.colour : artist.spec.markerFace || "none");
        }
      }
      for (const [view, frame] of overlaid) {
        const there = view.spec.main;
        if (!there || there.fit === null || there.fit === undefined) continue;
        const spans = view.spec.artists[there.fit].frames[frame];
        if (!spans) continue;
        const map = (x, y) => {
          const dataX = there.xlim[0] + (x - there.box[0]) / there.box[2] * (there.xlim[1] - there.xlim[0]);
          const dataY = there.ylim[1] - (y - there.box[1]) / there.box[3] * (there.ylim[1] - there.ylim[0]);
          return [here.box[0] + (dataX - here.xlim[0]) / (here.xlim[1] - here.xlim[0]) * here.box[2],
                  here.box[1] + (here.ylim[1] - dataY) / (here.ylim[1] - here.ylim[0]) * here.box[3]];
        };
        const lines = view.polylines(spans).map((line) => line.map(([x, y]) => map(x, y)));
        el("path", { d: lines.map((line) => "M" + line.map(([x, y]) => `${x.toFixed(2)} ${y.toFixed(2)}`).join("L")).join(""),
                     fill: "none", stroke: view.spec.colour || "#888", "stroke-width": 1.8, "stroke-linecap": "round",
                     opacity: 0.9, class: "overlaid-run", "data-run": view.spec.label }, this.others);
      }
    }

    drawArtist(artist, spans) {
      if (!spans) { artist.group.setAttribute("visibility", "hidden"); return; }
      artist.group.removeAttribute("visibility");
      // A path's outline is built once per frame shown (scrubbing back and forth revisits frames), and the
      // element is touched only when its outline changes (a run that has stopped does not move).
      artist.cache = artist.cache || new Map();
      const key = spans.map(([start, count]) => `${start}:${count}`).join(",");
      let drawn = artist.cache.get(key);
      if (!drawn) {
        const lines = this.polylines(spans);
        drawn = { lines, d: lines.map((line) => "M" + line.map(([x, y]) => `${x.toFixed(2)} ${y.toFixed(2)}`).join("L")).join("") };
        artist.cache.set(key, drawn);
      }
      const lines = drawn.lines;
      if (artist.path && artist.shownKey !== key) artist.path.setAttribute("d", drawn.d);
      if (artist.markers && artist.shownKey === key) return;
      artist.shownKey = key;
      if (artist.markers) {
        const s = artist.spec;
        const points = lines.flat();
        while (artist.markers.childNodes.length > points.length) artist.markers.lastChild.remove();
        while (artist.markers.childNodes.length < points.length) {
          el("circle", { r: s.markerSize / 2, stroke: s.markerEdge || "none", "stroke-width": s.markerEdgeWidth }, artist.markers);
        }
        points.forEach(([x, y], i) => { artist.markers.childNodes[i].setAttribute("cx", x);
                                        artist.markers.childNodes[i].setAttribute("cy", y); });
      }
    }

    drawText(text, frame) {
      const lines = text.spec.lines[frame].map((index) => this.spec.strings[index]);
      const key = lines.join("\n");
      if (text.shown === key) return;
      text.shown = key;
      while (text.group.firstChild) text.group.firstChild.remove();
      const s = text.spec;
      lines.forEach((line, i) => {
        if (!line) return;
        const node = el("text", { x: s.left, y: s.top + s.ascent + i * s.lineHeight }, text.group);
        node.textContent = line;
      });
    }

    paint(shading, frame) {
      const { canvas, spec, values } = shading;
      const box = canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      let width = Math.max(1, Math.round(box.width * ratio)), height = Math.max(1, Math.round(box.height * ratio));
      if (spec.kind === "regions" && Math.max(width, height) > REGIONS_MOST) {
        // Several classes cost a pass a class a pixel: at most REGIONS_MOST pixels a side, scaled up smoothly.
        const shrink = REGIONS_MOST / Math.max(width, height);
        width = Math.max(1, Math.round(width * shrink)); height = Math.max(1, Math.round(height * shrink));
      }
      if (shading.size[0] !== width || shading.size[1] !== height) {
        canvas.width = width; canvas.height = height; shading.size = [width, height];
        shading.columns = neighbours(width, spec.xlim[0], spec.xlim[1], spec.gridX, false);
        shading.rows = neighbours(height, spec.ylim[0], spec.ylim[1], spec.gridY, true);
        shading.image = canvas.getContext("2d").createImageData(width, height);
      }
      if (spec.kind === "regions") { this.paintRegions(shading, frame); return; }
      const gx = spec.gridX.length, gy = spec.gridY.length;
      const grid = values.subarray(frame * gx * gy, (frame + 1) * gx * gy);
      const ramp = spec.ramp, steps = ramp.length / 3 - 1;
      const pixels = shading.image.data;
      const [cLow, cShare] = shading.columns, [rLow, rShare] = shading.rows;
      const row = new Float32Array(gx);
      let p = 0;
      for (let r = 0; r < height; r++) {
        const low = rLow[r] * gx, share = rShare[r];
        for (let c = 0; c < gx; c++) row[c] = grid[low + c] * (1 - share) + grid[low + gx + c] * share;
        for (let c = 0; c < width; c++) {
          const k = cLow[c], t = cShare[c];
          const value = (row[k] * (1 - t) + row[k + 1] * t) / 255;
          const code = 3 * Math.min(steps, Math.max(0, Math.round(value * steps)));
          pixels[p] = ramp[code]; pixels[p + 1] = ramp[code + 1]; pixels[p + 2] = ramp[code + 2]; pixels[p + 3] = 255;
          p += 4;
        }
      }
      canvas.getContext("2d").putImageData(shading.image, 0, 0);
    }
  }

  /* Several classes: each pixel in its likeliest class's tint (by how sure), boundaries in ink, as the GIF's
   * painter does (animate/drawing/regions.py). Values are (rows, columns, classes) bytes a frame. */
  View.prototype.paintRegions = function (shading, frame) {
    const { canvas, spec, values } = shading;
    const [width, height] = shading.size;
    const gx = spec.gridX.length, gy = spec.gridY.length, k = spec.classes, levels = spec.levels;
    const grid = values.subarray(frame * gx * gy * k, (frame + 1) * gx * gy * k);
    const [cLow, cShare] = shading.columns, [rLow, rShare] = shading.rows;
    const labels = new Int16Array(width * height);
    const pixels = shading.image.data, ramp = spec.ramp;
    const row = new Float32Array(gx * k), value = new Float32Array(k);
    for (let r = 0; r < height; r++) {
      const low = rLow[r] * gx * k, share = rShare[r];
      for (let i = 0; i < gx * k; i++) row[i] = grid[low + i] * (1 - share) + grid[low + gx * k + i] * share;
      for (let c = 0; c < width; c++) {
        const a = cLow[c] * k, t = cShare[c];
        let best = 0;
        for (let j = 0; j < k; j++) {
          value[j] = row[a + j] * (1 - t) + row[a + k + j] * t;
          if (value[j] > value[best]) best = j;
        }
        const sure = Math.min(1, Math.max(0, (value[best] / 255 - 1 / k) / (1 - 1 / k)));
        const level = Math.min(levels - 1, Math.max(0, Math.floor(sure * (levels - 1) + 0.5)));
        labels[r * width + c] = best;
        const code = 3 * (best * levels + level), p = 4 * (r * width + c);
        pixels[p] = ramp[code]; pixels[p + 1] = ramp[code + 1]; pixels[p + 2] = ramp[code + 2]; pixels[p + 3] = 255;
      }
    }
    const ink = 3 * (k * levels);  // the last row of the table: the boundaries
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const here = labels[r * width + c];
        if ((c + 1 < width && labels[r * width + c + 1] !== here) || (r + 1 < height && labels[(r + 1) * width + c] !== here)) {
          const p = 4 * (r * width + c);
          pixels[p] = ramp[ink]; pixels[p + 1] = ramp[ink + 1]; pixels[p + 2] = ramp[ink + 2];
        }
      }
    }
    canvas.getContext("2d").putImageData(shading.image, 0, 0);
  };

  /* For each of ``count`` pixel centres across [low, high] (rows: high at the top), the grid cell below it. */
  function neighbours(count, low, high, grid, downwards) {
    const lows = new Int32Array(count), shares = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const position = downwards ? high - (i + 0.5) / count * (high - low) : low + (i + 0.5) / count * (high - low);
      let k = 0;
      while (k < grid.length - 2 && grid[k + 1] <= position) k++;
      const share = (position - grid[k]) / (grid[k + 1] - grid[k]);
      lows[i] = k; shares[i] = Math.min(1, Math.max(0, share));
    }
    return [lows, shares];
  }

  /* Button icons as paths (a font may lack the media symbols). */
  const ICONS = { first: "M3 2h2v12H3zM14 2v12L6 8z", back: "M12 2v12L4 8z", play: "M4 2v12l10-6z",
                  pause: "M3 2h4v12H3zM9 2h4v12H9z", forward: "M4 2v12l8-6z" };

  function iconSvg(name) {
    const svg = el("svg", { viewBox: "0 0 16 16", width: 16, height: 16, "aria-hidden": "true" });
    el("path", { d: ICONS[name], fill: "currentColor" }, svg);
    return svg;
  }

  class Player {
    constructor(root, header, arrays) {
      this.root = root;
      this.id = root.id;
      this.views = header.views.map((spec) => new View(this, spec, arrays[spec.coordinates], arrays));
      this.speed = 1;
      this.playing = false;
      this.timer = null;
      this.lastDrawMs = 0;
      this.build(header);
      this.select(0, 0);
      root.player = this;
      (window.animatePlayers = window.animatePlayers || []).push(this);
      root.dispatchEvent(new CustomEvent("animate-ready", { bubbles: true }));
    }

    build(header) {
      const root = this.root;
      root.tabIndex = 0;
      if (this.views.length > 1) {
        const picker = document.createElement("div");
        picker.className = "picker";
        picker.setAttribute("role", "tablist");
        this.tabs = this.views.map((view, number) => {
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = view.spec.label;
          button.setAttribute("role", "tab");
          button.addEventListener("click", () => this.select(number));
          picker.appendChild(button);
          return button;
        });
        if (this.views.some((view) => view.spec.main)) {
          const label = document.createElement("label");
          label.className = "overlay-switch";
          this.overlaySwitch = document.createElement("input");
          this.overlaySwitch.type = "checkbox";
          this.overlaySwitch.addEventListener("change", () => this.go(this.frame));
          label.append(this.overlaySwitch, " overlay the other runs");
          picker.appendChild(label);
          this.key = document.createElement("div");
          this.key.className = "key";
          picker.appendChild(this.key);
        }
        root.appendChild(picker);
      }
      this.stageHolder = document.createElement("div");
      root.appendChild(this.stageHolder);
      const controls = document.createElement("div");
      controls.className = "controls";
      const button = (label, icon, action) => {
        const node = document.createElement("button");
        node.type = "button"; node.setAttribute("aria-label", label); node.title = label;
        node.appendChild(iconSvg(icon));
        node.addEventListener("click", action);
        controls.appendChild(node);
        return node;
      };
      button("first step", "first", () => { this.pause(); this.go(0); });
      button("step back", "back", () => { this.pause(); this.go(this.frame - 1); });
      this.playButton = button("play", "play", () => this.toggle());
      button("step forward", "forward", () => { this.pause(); this.go(this.frame + 1); });
      this.slider = document.createElement("input");
      Object.assign(this.slider, { type: "range", min: 0, step: 1, value: 0 });
      this.slider.setAttribute("aria-label", "training step");
      this.slider.addEventListener("input", () => { this.pause(); this.go(Number(this.slider.value)); });
      controls.appendChild(this.slider);
      this.speedSelect = document.createElement("select");
      this.speedSelect.setAttribute("aria-label", "speed");
      for (const speed of SPEEDS) {
        const option = document.createElement("option");
        option.value = speed; option.textContent = `${speed}×`; option.selected = speed === 1;
        this.speedSelect.appendChild(option);
      }
      this.speedSelect.addEventListener("change", () => { this.speed = Number(this.speedSelect.value); });
      controls.appendChild(this.speedSelect);
      this.label = document.createElement("span");
      this.label.className = "step";
      controls.appendChild(this.label);
      root.appendChild(controls);
      root.addEventListener("keydown", (event) => {
        // A focused control keeps its own keys (Space presses a button or ticks a box); the slider gives
        // them to the player, as the rest of it does.
        const target = event.target;
        if (target.tagName === "SELECT" || target.tagName === "BUTTON" ||
            (target.tagName === "INPUT" && target.type !== "range")) return;
        const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -10, ArrowUp: 10 };
        if (event.key === " " || event.key === "k") { this.toggle(); event.preventDefault(); }
        else if (event.key in moves) { this.pause(); this.go(this.frame + moves[event.key]); event.preventDefault(); }
        else if (event.key === "Home") { this.pause(); this.go(0); event.preventDefault(); }
        else if (event.key === "End") { this.pause(); this.go(this.view.spec.count - 1); event.preventDefault(); }
      });
      // Redrawn when its size changes: a window resized, or a closed <details> around it opened.
      if (window.ResizeObserver) new ResizeObserver(() => this.view && this.frame !== null && this.go(this.frame)).observe(root);
      else window.addEventListener("resize", () => this.view && this.go(this.frame));
    }

    /* Show view ``number`` at the frame nearest the step shown now (at or before it). */
    select(number, frame) {
      const step = this.view ? this.view.spec.steps[this.frame] : null;
      this.view = this.views[number];
      this.stageHolder.replaceChildren(this.view.stage);
      if (this.tabs) this.tabs.forEach((tab, i) => tab.setAttribute("aria-selected", String(i === number)));
      this.slider.max = this.view.spec.count - 1;
      if (this.overlaySwitch) {  // only a single run's plot can take the others' fits
        this.overlaySwitch.disabled = !this.view.spec.main;
        this.overlaySwitch.parentElement.title = this.view.spec.main ? "" : "pick one run to overlay the others on it";
      }
      if (frame === undefined) {
        const steps = this.view.spec.steps;
        frame = 0;
        while (frame + 1 < steps.length && steps[frame + 1] <= step) frame++;
      }
      this.frame = null;
      this.go(frame);
    }

    go(frame) {
      const last = this.view.spec.count - 1;
      frame = Math.max(0, Math.min(last, frame));
      const started = performance.now();
      const overlaid = this.overlaid(frame);
      this.view.draw(frame, overlaid);
      if (this.key) this.showKey(overlaid);
      this.lastDrawMs = performance.now() - started;
      this.frame = frame;
      this.slider.value = frame;
      this.label.textContent = `${this.view.spec.stepName} ${this.view.spec.steps[frame].toLocaleString("en")}`;
    }

    /* With the overlay on and one run shown: every other run, at its frame for the step shown. */
    overlaid(frame) {
      if (!this.overlaySwitch || !this.overlaySwitch.checked || !this.view.spec.main) return [];
      const step = this.view.spec.steps[frame];
      return this.views.filter((view) => view !== this.view && view.spec.main).map((view) => {
        const steps = view.spec.steps;
        let k = 0;
        while (k + 1 < steps.length && steps[k + 1] <= step) k++;
        return [view, k];
      });
    }

    /* The overlay's key: each run's colour and name, this run first. */
    showKey(overlaid) {
      const runs = overlaid.length ? [this.view, ...overlaid.map(([view]) => view)] : [];
      this.key.replaceChildren(...runs.map((view) => {
        const item = document.createElement("span");
        const swatch = document.createElement("i");
        swatch.style.background = view.spec.colour || "#888";
        item.append(swatch, view.spec.label);
        return item;
      }));
    }

    toggle() { this.playing ? this.pause() : this.play(); }

    play() {
      if (this.playing) return;
      this.playing = true;
      this.playButton.replaceChildren(iconSvg("pause")); this.playButton.setAttribute("aria-label", "pause");
      if (this.frame >= this.view.spec.count - 1) this.go(0);
      const tick = () => {
        if (!this.playing) return;
        const last = this.view.spec.count - 1;
        const spec = this.view.spec;
        const wait = this.frame >= last ? spec.holdLast * 1000 / this.speed
          : this.frame === 0 ? (spec.holdFirst + 1 / spec.fps) * 1000 / this.speed  // the untrained model, held
          : 1000 / (spec.fps * this.speed);
        this.timer = setTimeout(() => { this.go(this.frame >= last ? 0 : this.frame + 1); tick(); }, wait);
      };
      tick();
    }

    pause() {
      this.playing = false;
      clearTimeout(this.timer);
      this.playButton.replaceChildren(iconSvg("play")); this.playButton.setAttribute("aria-label", "play");
    }
  }

  async function start(root) {
    const data = root.querySelector("script[type='application/octet-stream']");
    const { header, arrays } = unpack(await inflate(data.textContent.trim()));
    new Player(root, header, arrays);
  }

  for (const root of document.querySelectorAll(".animate-player:not([data-started])")) {
    root.dataset.started = "1";
    start(root).catch((error) => {
      root.textContent = `This player could not start: ${error.message}`;
      throw error;
    });
  }
})();
