import { IComGithubKedacoreKedaV2ApisKedaV1alpha1SecretKeyRef } from "./SecretKeyRef.js";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IValueFromSecret {
    "secretKeyRef": IComGithubKedacoreKedaV2ApisKedaV1alpha1SecretKeyRef;
}
export declare class ValueFromSecret extends Model<IValueFromSecret> implements IValueFromSecret {
    "secretKeyRef": IComGithubKedacoreKedaV2ApisKedaV1alpha1SecretKeyRef;
    constructor(data?: ModelData<IValueFromSecret>);
}
export type { IValueFromSecret as IComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret, ValueFromSecret as ComGithubKedacoreKedaV2ApisKedaV1alpha1ValueFromSecret };
