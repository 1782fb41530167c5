//! Every profession the index covers, asked in plain words, leads with its regulator's or
//! professional body's guidance (from `resources-facts.md` and section 4 of the December 2026
//! review), and every profession it does not cover says so.

use signpost::Origin;

use super::answers::{run, Want};
use super::ask;
use crate::support::index;

pub(super) const NMC: &str = "https://www.nmc.org.uk/standards/guidance/social-media-guidance/";
const RCN: &str = "https://www.rcn.org.uk/About-us/Our-governance/";
const HCPC_2024: &str = "https://www.hcpc-uk.org/standards/meeting-our-standards/communication-and-using-social-media/guidance-on-use-of-social-media/";
const GMC_2024: &str = "https://www.gmc-uk.org/professional-standards/the-professional-standards/using-social-media-as-a-medical-professional/";
const GMC_STUDENTS: &str = "https://www.gmc-uk.org/education/standards-guidance-and-curricula/guidance/student-professionalism-and-ftp/achieving-good-medical-practice/";
const SWE: &str = "https://www.socialworkengland.org.uk/standards/professional-standards-guidance/";
const SSSC: &str = "https://myssscportal.microsoftcrmportals.com/knowledgebase/article/KA-01068/";
const CSP: &str = "https://www.csp.org.uk/publications/social-media-guidance-csp-members";
const PARAMEDICS: &str = "https://collegeofparamedics.co.uk/news/college-of-paramedics-publishes-updated-social-media-guidance";
const RCSLT: &str = "https://www.rcslt.org/members/delivering-quality-services/communications-technology/communications-technology-guidance";
const SOR: &str = "https://www.sor.org/learning/document-library/somerad-guidance-radiography-workforce-professional-use-social-media/";
const GPHC: &str = "https://www.pharmacyregulation.org/";

/// Every profession the index covers, asked in plain words, leads with its regulator's or
/// professional body's guidance, students and the professions added in 2026 included.
#[test]
fn every_profession_leads_with_its_guidance() {
    use Origin::*;
    use Want::*;
    let table: &[(&str, Origin, Want)] = &[
        ("nurse", Console, First(NMC)),
        ("what does the nmc say", Discord, Has(NMC)),
        ("nursing student social media", Console, First(NMC)),
        ("student midwife guidance", Slack, First(NMC)),
        ("midwives", Console, First(NMC)),
        ("nursing associate", Console, First(NMC)),
        ("nurse guidance rcn", Console, Has(RCN)),
        ("!guidance nurse", Console, Has(RCN)),
        ("physio social media guidance", Console, Has(CSP)),
        ("physiotherapist", Matrix, Has(HCPC_2024)),
        ("!guidance physiotherapist", Console, Has(CSP)),
        ("paramedic", Console, Has(PARAMEDICS)),
        ("student paramedic rules", Discord, Has(HCPC_2024)),
        ("speech and language therapist", Console, Has(RCSLT)),
        ("SLT guidance", Slack, Has(HCPC_2024)),
        ("radiographer", Console, Has(SOR)),
        ("radiographers social media", Matrix, Has(HCPC_2024)),
        ("pharmacist", Console, Has(GPHC)),
        ("pharmacy technician guidance", Console, Has(GPHC)),
        ("medical student", Console, Has(GMC_STUDENTS)),
        ("med student twitter", Discord, Has(GMC_STUDENTS)),
        ("social work student", Console, Has(SWE)),
        ("social worker", Console, Has(SWE)),
        ("social worker in scotland", Slack, First(SSSC)),
        ("doctor", Console, First(GMC_2024)),
        ("gp", Console, First(GMC_2024)),
        ("resident doctor", Matrix, First(GMC_2024)),
        ("psychiatrist", Console, Has(GMC_2024)),
        ("psychologist", Console, First(HCPC_2024)),
        ("occupational therapist", Console, Has(HCPC_2024)),
        ("arts therapist", Discord, Has(HCPC_2024)),
        ("counsellor", Console, Title("Counsellor")),
        ("psychotherapist", Console, Title("Psychotherapist")),
        ("CAT practitioner", Console, Title("CAT")),
        ("physician associate", Console, First(GMC_2024)),
        ("dentist", Console, Title("not covered")),
        ("chiropractor", Console, Title("not covered")),
        ("optometrist", Slack, Title("not covered")),
        ("osteopath", Console, Title("not covered")),
        ("dietitian", Console, Title("not covered")),
        ("podiatrist", Console, Title("not covered")),
        ("therapist", Console, Which),
        ("therapists", Discord, Which),
        ("!guidance therapist", Console, Which),
    ];
    for profession in &index().professions {
        let asked = table
            .iter()
            .filter_map(|(text, _, _)| ask(text, Origin::Console))
            .any(|r| r.title.contains(&profession.name));
        assert!(asked, "{} has no question", profession.id);
    }
    run(table);
}
