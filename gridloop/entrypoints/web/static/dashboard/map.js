// The district map: Leaflet drawing the grids' GeoJSON on one canvas, coloured by their cases,
// with live alert markers. No base-map tiles unless the server names a tile URL.
import { t } from "/static/app/i18n.js";

const L = window.L;

export function gridColour(p) {
  if (p.overdue_cases > 0) return "#c0392b";
  if (p.open_cases >= 3) return "#e8833a";
  if (p.open_cases > 0) return "#f2c94c";
  return "#dfe7ee";
}

function style(feature) {
  return {
    color: "#5b6b7c", weight: 0.8, fillOpacity: 0.72, fillColor: gridColour(feature.properties),
  };
}

export class DistrictMap {
  constructor(element, { onGrid }) {
    this.element = element;
    this.map = L.map(element, {
      preferCanvas: true, zoomSnap: 0.25, attributionControl: false, keyboard: true,
    });
    this.renderer = L.canvas({ padding: 0.2 });
    this.layers = new Map(); // grid code → layer
    this.alerts = L.layerGroup().addTo(this.map);
    this.onGrid = onGrid;
    this.picking = null;
    this.map.on("click", (e) => this._pick(e));
  }

  draw(collection) {
    this.geo = L.geoJSON(collection, {
      renderer: this.renderer,
      style,
      onEachFeature: (feature, layer) => {
        this.layers.set(feature.properties.code, layer);
        layer.bindTooltip(() => this._tooltip(feature.properties), { sticky: true });
        layer.on("click", (e) => {
          if (this.picking) return; // the map's own click handler takes the point
          L.DomEvent.stopPropagation(e);
          this.onGrid(feature.properties.code);
        });
      },
    }).addTo(this.map);
    this.map.fitBounds(this.geo.getBounds(), { padding: [8, 8] });
    this.element.dataset.gridsDrawn = String(this.layers.size);
    return this.layers.size;
  }

  _tooltip(p) {
    return t("map.tooltip", { name: p.name, open: p.open_cases, overdue: p.overdue_cases });
  }

  /** New open/overdue counts (a fresh /api/v1/grids answer): restyle without redrawing. */
  restyle(collection) {
    for (const feature of collection.features) {
      const layer = this.layers.get(feature.properties.code);
      if (!layer) continue;
      layer.feature.properties = feature.properties;
      layer.setStyle(style(feature));
    }
  }

  addTiles(url, attribution) {
    L.tileLayer(url, { attribution, maxZoom: 19 }).addTo(this.map).bringToBack();
    if (attribution) L.control.attribution({ prefix: false }).addTo(this.map);
  }

  select(code) {
    const layer = this.layers.get(code);
    if (!layer) return false;
    if (this.selected) this.selected.setStyle({ weight: 0.8, color: "#5b6b7c" });
    layer.setStyle({ weight: 3, color: "#0b5cad" });
    layer.bringToFront();
    this.selected = layer;
    this.map.fitBounds(layer.getBounds(), { maxZoom: Math.max(this.map.getZoom(), 15) });
    return true;
  }

  addAlert(alert) {
    if (alert.lon == null || alert.lat == null) return null;
    const marker = L.circleMarker([alert.lat, alert.lon], {
      renderer: this.renderer, radius: 8, color: "#ffffff", weight: 2,
      fillColor: alert.severity === "critical" ? "#b3261e" : "#a35c00", fillOpacity: 0.95,
    });
    marker.bindTooltip(() => `${alert.rule_names[document.documentElement.lang === "en" ? "en" : "zh"]} · ${alert.grid_name}`);
    marker.addTo(this.alerts);
    this.element.dataset.alertMarkers = String(this.alerts.getLayers().length);
    return marker;
  }

  /** Wait for one click on the map; resolves {lon, lat}, or null on Escape. */
  pickPoint() {
    this.element.classList.add("picking");
    this.element.focus();
    return new Promise((resolve) => {
      const done = (value) => {
        this.picking = null;
        this.element.classList.remove("picking");
        document.removeEventListener("keydown", onKey);
        resolve(value);
      };
      const onKey = (e) => { if (e.key === "Escape") done(null); };
      document.addEventListener("keydown", onKey);
      this.picking = done;
    });
  }

  _pick(e) {
    if (!this.picking) return;
    this.picking({ lon: +e.latlng.lng.toFixed(6), lat: +e.latlng.lat.toFixed(6) });
  }
}
