// Textele în română (limba implicită).
import type { Messages } from './en';

export const ro: Messages = {
  'app.name': 'semnal',
  'app.tagline': 'Problemele orașului, semnalate și urmărite',
  'app.skip': 'Salt la conținut',

  'lang.label': 'Limba',

  'nav.map': 'Hartă',
  'nav.follow': 'Urmăriți o sesizare',

  'common.loading': 'Se încarcă…',
  'common.retry': 'Încercați din nou',
  'common.close': 'Închide',
  'common.networkError': 'Nu am putut contacta serverul. Verificați conexiunea și încercați din nou.',

  'map.label': 'Harta problemelor semnalate',
  'map.unavailable':
    'Harta nu poate fi afișată pe acest dispozitiv. Puteți totuși semnala o problemă și o puteți urmări după numărul de urmărire.',
  'map.report': 'Semnalați o problemă',
  'map.legend': 'Culori',
  'map.legendNote': 'Sesizările închise și cele respinse nu sunt afișate.',

  'sheet.title': 'Sesizarea {tn}',
  'sheet.reported': 'Semnalată {age}',
  'sheet.follow': 'Urmăriți sesizarea',

  'age.today': 'astăzi',
  'age.yesterday': 'ieri',
  'age.days': 'acum {n} zile',

  'status.new': 'Primită',
  'status.acknowledged': 'Acceptată',
  'status.assigned': 'Repartizată',
  'status.in_progress': 'În lucru',
  'status.resolved': 'Rezolvată',
  'status.closed': 'Închisă',
  'status.rejected': 'Respinsă',
  'status.duplicate': 'Duplicat',
  'status.referred': 'Redirecționată',
  'status.reopened': 'Redeschisă',

  'statusHelp.new':
    'Am primit sesizarea. Dispeceratul primăriei o verifică și o trimite serviciului responsabil.',
  'statusHelp.acknowledged': 'Primăria a verificat sesizarea și a acceptat-o. Va fi încredințată în curând unei echipe.',
  'statusHelp.assigned': 'Sesizarea este la serviciul responsabil, care planifică lucrarea.',
  'statusHelp.in_progress': 'O echipă lucrează la rezolvarea problemei.',
  'statusHelp.resolved': 'Serviciul responsabil anunță că problema a fost rezolvată.',
  'statusHelp.closed': 'Sesizarea este închisă. Vă mulțumim că ajutați orașul.',
  'statusHelp.rejected':
    'Sesizarea nu a fost acceptată, de exemplu pentru că problema nu ține de primărie. Motivul poate apărea în istoricul de mai jos.',
  'statusHelp.duplicate': 'Aceeași problemă fusese deja semnalată; ea este urmărită în cealaltă sesizare.',
  'statusHelp.referred': 'Problema ține de o altă instituție, căreia i-a fost trimisă sesizarea.',
  'statusHelp.reopened': 'S-a anunțat că problema nu a fost rezolvată, așa că sesizarea a fost redeschisă.',

  'report.title': 'Semnalați o problemă',
  'report.back': 'Înapoi la hartă',
  'report.intro': 'Nu aveți nevoie de cont. Sunt suficiente o fotografie și o categorie.',

  'report.photo.title': 'Fotografie',
  'report.photo.take': 'Faceți o fotografie',
  'report.photo.choose': 'Alegeți o fotografie',
  'report.photo.add': 'Mai adăugați o fotografie',
  'report.photo.remove': 'Ștergeți fotografia {n}',
  'report.photo.alt': 'Fotografia {n} a problemei',
  'report.photo.hint':
    'O fotografie ajută primăria să găsească și să rezolve problema. Dacă are poziție GPS, marcajul este pus automat.',
  'report.photo.max': 'Puteți adăuga cel mult {max} fotografii.',

  'report.location.title': 'Unde este?',
  'report.location.hint': 'Atingeți harta ca să puneți marcajul sau mutați harta ca să-l ajustați.',
  'report.location.mapLabel': 'Hartă pentru alegerea locului problemei',
  'report.location.useMine': 'Folosiți locația mea',
  'report.location.locating': 'Se caută locația…',
  'report.location.denied': 'Nu am putut afla locația. Atingeți harta ca să puneți marcajul.',
  'report.location.none': 'Locul nu a fost ales încă.',
  'report.location.fromPhoto': 'Locul a fost preluat din fotografie.',
  'report.location.fromDevice': 'Locul a fost preluat din locația dispozitivului.',
  'report.location.fromMap': 'Locul a fost ales pe hartă.',
  'report.location.coords': '{lat}, {lon}',

  'report.category.title': 'Ce problemă este?',
  'report.category.error': 'Lista problemelor nu a putut fi încărcată.',

  'report.details.title': 'Detalii',
  'report.details.more': 'Mai multe detalii (opțional)',
  'report.details.choose': 'Alegeți…',
  'report.required': 'obligatoriu',
  'report.optional': 'opțional',
  'report.description.label': 'Descriere (opțional)',
  'report.description.placeholder': 'Ce nu este în regulă și unde anume?',
  'report.email.label': 'E-mail (opțional)',
  'report.email.hint':
    'Doar ca să vă trimitem vești despre această sesizare. Nu este afișat public. Nu se creează niciun cont.',

  'report.nearby.title': 'Este una dintre acestea?',
  'report.nearby.intro':
    'Aceste sesizări de același fel sunt deja deschise în apropiere. Puteți urmări una dintre ele în loc să trimiteți o sesizare nouă.',
  'report.nearby.distance': 'la {m} m',
  'report.nearby.follow': 'Urmăriți',

  'report.send': 'Trimiteți sesizarea',
  'report.sending': 'Se trimite…',
  'report.missing.category': 'Alegeți ce problemă este.',
  'report.missing.location':
    'Arătați unde este problema: atingeți harta, folosiți locația dumneavoastră sau adăugați o fotografie cu poziție GPS.',
  'report.error.title': 'Sesizarea nu a fost trimisă',
  'report.error.kept': 'Tot ce ați completat a fost păstrat; corectați și trimiteți din nou.',

  'report.success.title': 'Vă mulțumim! Sesizarea a fost trimisă.',
  'report.success.number': 'Număr de urmărire',
  'report.success.keep': 'Păstrați acest număr: cu el puteți urmări ce se întâmplă cu sesizarea dumneavoastră.',
  'report.success.follow': 'Urmăriți sesizarea',
  'report.success.another': 'Semnalați altă problemă',
  'report.success.map': 'Înapoi la hartă',

  'track.title': 'Sesizarea {tn}',
  'track.heading': 'Urmăriți o sesizare',
  'track.lookup.label': 'Număr de urmărire',
  'track.lookup.hint': '8 litere și cifre, de exemplu ABCD-EF23.',
  'track.lookup.go': 'Căutați',
  'track.lookup.invalid': 'Numărul de urmărire are 8 litere și cifre, de exemplu ABCD-EF23.',
  'track.status': 'Stare',
  'track.category': 'Problemă',
  'track.address': 'Adresă',
  'track.zone': 'Zonă',
  'track.department': 'Se ocupă',
  'track.reported': 'Semnalată',
  'track.due': 'Termen de rezolvare',
  'track.overdue': 'termen depășit',
  'track.description': 'Descriere',
  'track.photos': 'Fotografii',
  'track.photo.open': 'Deschideți fotografia {n}',
  'track.photo.alt': 'Fotografia {n} a sesizării {tn}',
  'track.timeline': 'Istoric',
  'track.location': 'Locul',
  'track.mapLabel': 'Hartă cu locul sesizării',

  'timeline.reported': 'Sesizare primită',
  'timeline.statusChanged': 'Stare: {status}',
  'timeline.other': 'Actualizare',

  'ml.zoomIn': 'Mărire',
  'ml.zoomOut': 'Micșorare',
  'ml.resetBearing': 'Trageți ca să rotiți harta, apăsați ca să o orientați spre nord',
  'ml.findMyLocation': 'Arată locația mea',
  'ml.locationNotAvailable': 'Locația nu este disponibilă',
  'ml.toggleAttribution': 'Arată sau ascunde sursele hărții',
  'ml.marker': 'Marcaj',
  'ml.gestures.mobile': 'Folosiți două degete ca să mutați harta',
  'ml.gestures.windows': 'Folosiți Ctrl + rotița mouse-ului ca să măriți harta',
  'ml.gestures.mac': 'Folosiți ⌘ + rotița mouse-ului ca să măriți harta',
};
