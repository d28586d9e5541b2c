// Magyar szövegek.
import type { Messages } from './en';

export const hu: Messages = {
  'app.name': 'semnal',
  'app.tagline': 'A város gondjai, bejelentve és nyomon követve',
  'app.skip': 'Ugrás a tartalomhoz',

  'lang.label': 'Nyelv',

  'nav.map': 'Térkép',
  'nav.follow': 'Bejelentés követése',

  'common.loading': 'Betöltés…',
  'common.retry': 'Próbálja újra',
  'common.close': 'Bezárás',
  'common.networkError': 'Nem sikerült elérni a szervert. Ellenőrizze a kapcsolatot, és próbálja újra.',

  'map.label': 'A bejelentett problémák térképe',
  'map.unavailable':
    'A térkép ezen az eszközön nem jeleníthető meg. Problémát így is bejelenthet, és a követési számmal nyomon követheti.',
  'map.report': 'Probléma bejelentése',
  'map.legend': 'Színek',
  'map.legendNote': 'A lezárt és az elutasított bejelentések nem jelennek meg.',

  'sheet.title': '{tn} számú bejelentés',
  'sheet.reported': 'Bejelentve: {age}',
  'sheet.follow': 'Bejelentés követése',

  'age.today': 'ma',
  'age.yesterday': 'tegnap',
  'age.days': '{n} napja',

  'status.new': 'Beérkezett',
  'status.acknowledged': 'Befogadva',
  'status.assigned': 'Kiosztva',
  'status.in_progress': 'Folyamatban',
  'status.resolved': 'Megoldva',
  'status.closed': 'Lezárva',
  'status.rejected': 'Elutasítva',
  'status.duplicate': 'Ismétlődő',
  'status.referred': 'Továbbítva',
  'status.reopened': 'Újranyitva',

  'statusHelp.new':
    'Megkaptuk a bejelentést. A polgármesteri hivatal diszpécserszolgálata ellenőrzi, és továbbítja az illetékes osztálynak.',
  'statusHelp.acknowledged': 'A hivatal ellenőrizte és befogadta a bejelentést. Hamarosan kiosztják egy csapatnak.',
  'statusHelp.assigned': 'A bejelentés az illetékes osztálynál van, amely megtervezi a munkát.',
  'statusHelp.in_progress': 'Egy csapat dolgozik a probléma megoldásán.',
  'statusHelp.resolved': 'Az illetékes osztály szerint a problémát megoldották.',
  'statusHelp.closed': 'A bejelentést lezárták. Köszönjük, hogy segít a városnak.',
  'statusHelp.rejected':
    'A bejelentést nem fogadták be, például mert a probléma nem a polgármesteri hivatal hatáskörébe tartozik. Az okot az alábbi előzmények tartalmazhatják.',
  'statusHelp.duplicate': 'Ugyanezt a problémát már korábban bejelentették; azt a másik bejelentésben követik.',
  'statusHelp.referred': 'A probléma egy másik intézmény hatáskörébe tartozik, ezért a bejelentést továbbították neki.',
  'statusHelp.reopened': 'Jelezték, hogy a probléma nem oldódott meg, ezért a bejelentést újranyitották.',

  'report.title': 'Probléma bejelentése',
  'report.back': 'Vissza a térképhez',
  'report.intro': 'Nem kell fiókot létrehoznia. Elég egy fénykép és egy kategória.',

  'report.photo.title': 'Fénykép',
  'report.photo.take': 'Fénykép készítése',
  'report.photo.choose': 'Fénykép kiválasztása',
  'report.photo.add': 'Újabb fénykép hozzáadása',
  'report.photo.remove': 'A(z) {n}. fénykép törlése',
  'report.photo.alt': 'A probléma {n}. fényképe',
  'report.photo.hint':
    'A fénykép segít a hivatalnak megtalálni és megoldani a problémát. Ha GPS-pozíciót tartalmaz, a jelölőt automatikusan elhelyezzük.',
  'report.photo.max': 'Legfeljebb {max} fényképet csatolhat.',

  'report.location.title': 'Hol van?',
  'report.location.hint': 'Koppintson a térképre a jelölő elhelyezéséhez, vagy mozgassa a térképet a pontosításhoz.',
  'report.location.mapLabel': 'Térkép a probléma helyének kiválasztásához',
  'report.location.useMine': 'Saját helyzetem használata',
  'report.location.locating': 'Helymeghatározás…',
  'report.location.denied': 'Nem sikerült meghatározni a helyzetét. Koppintson a térképre a jelölő elhelyezéséhez.',
  'report.location.none': 'Még nincs kiválasztva hely.',
  'report.location.fromPhoto': 'A hely a fényképből származik.',
  'report.location.fromDevice': 'A hely az eszköz helymeghatározásából származik.',
  'report.location.fromMap': 'A helyet a térképen választotta ki.',
  'report.location.coords': '{lat}, {lon}',

  'report.category.title': 'Milyen problémáról van szó?',
  'report.category.error': 'A problémák listáját nem sikerült betölteni.',

  'report.details.title': 'Részletek',
  'report.details.more': 'További részletek (nem kötelező)',
  'report.details.choose': 'Válasszon…',
  'report.required': 'kötelező',
  'report.optional': 'nem kötelező',
  'report.description.label': 'Leírás (nem kötelező)',
  'report.description.placeholder': 'Mi a probléma, és pontosan hol?',
  'report.email.label': 'E-mail-cím (nem kötelező)',
  'report.email.hint':
    'Csak arra használjuk, hogy értesítsük a bejelentés alakulásáról. Nyilvánosan sosem jelenik meg. Nem jön létre fiók.',

  'report.nearby.title': 'Ezek egyike az?',
  'report.nearby.intro':
    'A közelben már vannak nyitott, ugyanilyen bejelentések. Új bejelentés helyett követheti valamelyiküket.',
  'report.nearby.distance': '{m} m-re',
  'report.nearby.follow': 'Követés',

  'report.send': 'Bejelentés elküldése',
  'report.sending': 'Küldés…',
  'report.missing.category': 'Válassza ki, milyen problémáról van szó.',
  'report.missing.location':
    'Mutassa meg, hol van a probléma: koppintson a térképre, használja a saját helyzetét, vagy csatoljon GPS-pozíciós fényképet.',
  'report.error.title': 'A bejelentés nem lett elküldve',
  'report.error.kept': 'Minden megadott adatot megőriztünk; javítsa ki, és küldje el újra.',

  'report.success.title': 'Köszönjük! A bejelentését elküldtük.',
  'report.success.number': 'Követési szám',
  'report.success.keep': 'Őrizze meg ezt a számot: ezzel követheti nyomon, mi történik a bejelentésével.',
  'report.success.follow': 'Bejelentés követése',
  'report.success.another': 'Másik probléma bejelentése',
  'report.success.map': 'Vissza a térképhez',

  'track.title': '{tn} számú bejelentés',
  'track.heading': 'Bejelentés követése',
  'track.lookup.label': 'Követési szám',
  'track.lookup.hint': '8 betű és számjegy, például ABCD-EF23.',
  'track.lookup.go': 'Keresés',
  'track.lookup.invalid': 'A követési szám 8 betűből és számjegyből áll, például ABCD-EF23.',
  'track.status': 'Állapot',
  'track.category': 'Probléma',
  'track.address': 'Cím',
  'track.zone': 'Városrész',
  'track.department': 'Illetékes',
  'track.reported': 'Bejelentve',
  'track.due': 'Megoldási határidő',
  'track.overdue': 'lejárt',
  'track.description': 'Leírás',
  'track.photos': 'Fényképek',
  'track.photo.open': 'A(z) {n}. fénykép megnyitása',
  'track.photo.alt': 'A(z) {tn} számú bejelentés {n}. fényképe',
  'track.timeline': 'Előzmények',
  'track.location': 'Helyszín',
  'track.mapLabel': 'Térkép a bejelentés helyével',

  'timeline.reported': 'Bejelentés beérkezett',
  'timeline.statusChanged': 'Állapot: {status}',
  'timeline.other': 'Frissítés',

  'ml.zoomIn': 'Nagyítás',
  'ml.zoomOut': 'Kicsinyítés',
  'ml.resetBearing': 'Húzza a térkép forgatásához, kattintson az északi tájoláshoz',
  'ml.findMyLocation': 'Saját helyzetem mutatása',
  'ml.locationNotAvailable': 'A helyzet nem érhető el',
  'ml.toggleAttribution': 'A térkép forrásainak megjelenítése vagy elrejtése',
  'ml.marker': 'Jelölő',
  'ml.gestures.mobile': 'A térkép mozgatásához használja két ujját',
  'ml.gestures.windows': 'A térkép nagyításához használja a Ctrl + görgetést',
  'ml.gestures.mac': 'A térkép nagyításához használja a ⌘ + görgetést',
};
