"""What `sitegen init --type` writes into the starter for each kind of practice: one row of words per type
(its first treatment, its first provider, its first FAQ answer and the welcome its referral program
promises), laid over the one starter; med_spa keeps the starter's own words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StarterWords:
    """One type's starter: the first treatment (file slug, title, summary, price line) and the first
    provider (credentials, role, schema `type`), the FAQ answer and the friend's welcome."""

    service_slug: str
    service: str
    summary: str
    category: str
    duration: str
    price_label: str
    price: int
    price_note: str
    preparation: str
    provider_name: str
    credentials: str
    role: str
    provider_type: str  # sitegen.models.practicetypes.ProviderType
    faq_answer: str
    friend_welcome: str


STARTER_WORDS: dict[str, StarterWords] = {
    "generic": StarterWords(
        "first-visit",
        "First visit",
        "An unhurried first visit with a clinician: your history, your questions and a plan.",
        "Visits",
        "45 minutes",
        "First visit",
        120,
        "Most insurance plans are accepted; call us to check yours.",
        "Bring your insurance card and a list of the medicines you take.",
        "Alex Rivera",
        "MSN, FNP-C",
        "Nurse practitioner",
        "nurse_practitioner",
        "Call us at (555) 555-0100 We answer within one business day.",
        "a personal welcome and an unhurried first visit",
    ),
    "dental": StarterWords(
        "new-patient-exam",
        "New patient exam",
        "A full dental exam with X-rays and a cleaning plan, and time for your questions.",
        "Exams and cleanings",
        "60 minutes",
        "Exam and X-rays",
        150,
        "Most dental plans cover a yearly exam; we check your benefits before the visit.",
        "Bring your dental insurance card and the name of your last dentist, if you have one.",
        "Dr. Alex Rivera",
        "DDS",
        "Dentist",
        "dentist",
        "Call us at (555) 555-0100 New patients are seen within two weeks.",
        "a personal welcome and an unhurried first exam",
    ),
    "dermatology": StarterWords(
        "skin-exam",
        "Full-body skin exam",
        "A dermatologist checks your skin from head to toe and explains anything worth watching.",
        "Medical dermatology",
        "30 minutes",
        "Skin exam",
        160,
        "Usually covered by insurance as a specialist visit; check your plan's referral rules.",
        "Come without nail polish or make-up, so every spot can be seen.",
        "Dr. Alex Rivera",
        "MD, FAAD",
        "Dermatologist",
        "physician",
        "Call us at (555) 555-0100 We answer within one business day.",
        "a personal welcome and an unhurried first skin exam",
    ),
    "plastic_surgery": StarterWords(
        "surgical-consultation",
        "Surgical consultation",
        "A private visit with the surgeon to talk through your goals, the options and the recovery.",
        "Consultations",
        "60 minutes",
        "Consultation",
        100,
        "Credited toward a procedure booked within 90 days.",
        "Bring a list of the medicines you take and any earlier surgery reports.",
        "Dr. Alex Rivera",
        "MD, FACS",
        "Plastic surgeon",
        "physician",
        "Call us at (555) 555-0100 We answer within one business day.",
        "a personal welcome and an unhurried consultation",
    ),
    "physical_therapy": StarterWords(
        "evaluation",
        "Physical therapy evaluation",
        "A physical therapist looks at how you move, finds what limits you and plans your sessions.",
        "Evaluations",
        "60 minutes",
        "Evaluation",
        140,
        "Most insurance plans cover physical therapy; some ask for a doctor's referral first.",
        "Wear clothes you can move in and bring any doctor's referral or imaging reports.",
        "Alex Rivera",
        "PT, DPT",
        "Physical therapist",
        "physical_therapist",
        "Call us at (555) 555-0100 Most patients start within a week.",
        "a personal welcome and an unhurried first evaluation",
    ),
    "optometry": StarterWords(
        "eye-exam",
        "Comprehensive eye exam",
        "A full check of your sight and the health of your eyes, with a new prescription if you need one.",
        "Eye exams",
        "45 minutes",
        "Eye exam",
        120,
        "Most vision plans cover a yearly exam; contact lens fittings are priced separately.",
        "Bring your glasses or contact lenses, and arrange a ride if your eyes may be dilated.",
        "Dr. Alex Rivera",
        "OD",
        "Optometrist",
        "optometrist",
        "Call us at (555) 555-0100 We answer within one business day.",
        "a personal welcome and an unhurried first eye exam",
    ),
    "primary_care": StarterWords(
        "new-patient-visit",
        "New patient visit",
        "A first visit with your new doctor: your history, a check-up and a plan for your care.",
        "Visits",
        "45 minutes",
        "New patient visit",
        180,
        "Most insurance plans are accepted; the price shown is for patients paying themselves.",
        "Bring your insurance card, a list of your medicines and your vaccination record.",
        "Dr. Alex Rivera",
        "MD",
        "Family physician",
        "physician",
        "Call us at (555) 555-0100 We answer within one business day.",
        "a personal welcome and an unhurried first visit",
    ),
}
"""Every type but med_spa, whose words are the starter's own."""
